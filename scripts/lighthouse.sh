#!/usr/bin/env bash
# Lighthouse (accessibility, best practices, SEO) on the public pages of a running app, e.g. `make run` in another
# terminal, then `scripts/lighthouse.sh http://127.0.0.1:5000`. Lighthouse (pinned) comes from the npm registry into
# .cache/lighthouse; Debian's Chromium runs it (CHROME_PATH). Fails when a page scores under 95 in a category.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BASE=${1:-http://127.0.0.1:5000}
VERSION=13.5.0
DIR=.cache/lighthouse
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

if [ ! -x "$DIR/node_modules/.bin/lighthouse" ]; then
    mkdir -p "$DIR"
    npm install --prefix "$DIR" --no-audit --no-fund --silent "lighthouse@${VERSION}"
fi

# The public home page, the honoured lists and the first honouree of the newest list.
year=$(curl -fsS "$BASE/vinh-danh" | grep -o 'href="/vinh-danh/20[0-9][0-9]"' | head -n 1 | grep -o '20[0-9][0-9]' || true)
pages=(/ /vinh-danh)
if [ -n "$year" ]; then
    honouree=$(curl -fsS "$BASE/vinh-danh/$year" | grep -o "href=\"/vinh-danh/$year/[^\"]*\"" | head -n 1 | cut -d'"' -f2)
    pages+=("/vinh-danh/$year" ${honouree:+"$honouree"})
fi

status=0
for page in "${pages[@]}"; do
    report="$DIR/report.json"
    "$DIR/node_modules/.bin/lighthouse" "$BASE$page" --quiet --output=json --output-path="$report" \
        --only-categories=accessibility,best-practices,seo \
        --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
    python3 - "$report" "$page" <<'PY' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
print(sys.argv[2], " ".join(f"{name} {score}" for name, score in scores.items()))
failed = [audit["title"] for audit in report["audits"].values()
          if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0]
for title in failed:
    print("   failed:", title)
sys.exit(1 if min(scores.values()) < 95 else 0)
PY
done
exit $status
