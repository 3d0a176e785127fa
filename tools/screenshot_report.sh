#!/usr/bin/env bash
# Render a corpus report.html in headless Chromium and save a PNG screenshot.
# Usage: tools/screenshot_report.sh [REPORT_HTML] [OUT_PNG]
# Without REPORT_HTML, runs `comparer corpus fixtures/corpus --out comparer-out` first if needed
# (the comparer of $COMPARER, PATH or .venv).
# Chinese text needs a CJK font (Debian: apt-get install -y fonts-wqy-zenhei or fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
html="${1:-comparer-out/report.html}"
png="${2:-${html%.html}.png}"
if [ ! -f "$html" ]; then
  # $COMPARER, else comparer on PATH, else the repo's .venv (exit 1 = findings, which is fine here).
  comparer="${COMPARER:-$(command -v comparer || echo .venv/bin/comparer)}"
  "$comparer" corpus fixtures/corpus --out "$(dirname "$html")" --jobs 2 >/dev/null || [ $? -eq 1 ]
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "screenshot: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$profile" --hide-scrollbars \
  --window-size=1400,2000 --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" >/dev/null 2>&1
echo "$png"
