#!/bin/sh
# The browser tests drive Debian's Chromium (never a downloaded browser build).
# Install it when we can (root with apt-get); otherwise the browser tests skip, except under CI.
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
    echo "note: /usr/bin/chromium is missing; browser tests will be skipped (apt-get install chromium)"
fi
