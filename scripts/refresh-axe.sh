#!/bin/sh
# Refreshes the vendored axe-core (tests/vendor/axe-core/: axe.min.js, its licence, VERSION) from the npm
# registry through npm itself, checking the tarball against the registry's published integrity.
# Usage: sh scripts/refresh-axe.sh 4.14.1
set -eu
version=${1:?usage: refresh-axe.sh <axe-core version>}
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/tests/vendor/axe-core"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
expected=$(npm view "axe-core@$version" dist.integrity)
npm pack --silent "axe-core@$version" >/dev/null
tarball="axe-core-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$expected" ]; then
    echo "integrity mismatch for $tarball: $actual != $expected" >&2
    exit 1
fi
tar -xzf "$tarball"
mkdir -p "$target"
cp package/axe.min.js "$target/axe.min.js"
cp package/LICENSE "$target/LICENSE"
[ -f package/LICENSE-3RD-PARTY.txt ] && cp package/LICENSE-3RD-PARTY.txt "$target/LICENSE-3RD-PARTY.txt"
printf '%s\n%s\n' "$version" "$expected" > "$target/VERSION"
echo "axe-core $version vendored in tests/vendor/axe-core/"
