#!/usr/bin/env bash
# Renders the HTML report of the sample project (the Lavrov fact-check recorded in
# projects/sample.ron) in headless Chromium: a PNG screenshot and a PDF printout. docs/report-page.png
# is page 1 of that printout (pdftoppm -png -r 80 -f 1 -l 1).
# Not run by CI. Needs Debian's `chromium` (apt-get install -y chromium).
# Usage: scripts/render-report.sh [OUT_DIR]   (default: target/report-render)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/report-render}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/targets/exports}"
# The test writes the recorded sample's HTML report where RENDER_REPORT_TO points.
RENDER_REPORT_TO="$out/report.html" cargo test --test exports \
  html_report_matches_golden_and_reads_like_a_fact_check -- --quiet
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run --user-data-dir="$profile")
chromium "${flags[@]}" --screenshot="$out/report.png" --window-size=1200,1600 "file://$out/report.html"
chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$out/report.html"
echo "wrote $out/report.png and $out/report.pdf"
