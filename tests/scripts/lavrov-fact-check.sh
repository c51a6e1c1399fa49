#!/usr/bin/env bash
# The whole Lavrov fact-check through the command line only, on a copy of the sample:
# add the claim by quote, attribute and rate it, add two refuting passages from other articles
# by quote, check the counts, export HTML and ClaimReview, and look for the work in both.
#
# Usage: lavrov-fact-check.sh CLAIMDESK_BINARY REPO_ROOT WORK_DIR
set -euo pipefail
claimdesk=$1
repo=$2
work=$3

fail() { echo "FAIL: $*" >&2; exit 1; }

# A copy with the sample's layout (projects/ beside assets/), allowed to read its corpus.
mkdir -p "$work/projects" "$work/assets"
cp "$repo/projects/sample.ron" "$work/projects/sample.ron"
cp -r "$repo/assets/corpus" "$work/assets/corpus"
project="$work/projects/sample.ron"
allow=(--allow-outside "$work/assets/corpus")

lavrov=000_164a3089b8e03eed.txt
iran=002_422bb6ef6b69d9a6.txt
moscow=003_e0f09e3576302cfd.txt

count() { # count FIELD: a number from `check`
  "$claimdesk" check "$project" "${allow[@]}" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$1=//p"
}
claims_before=$(count claims)
evidence_before=$(count evidence)
rated_before=$(count rated)

# A quote found twice is refused (exit 1), and the message lists both places.
set +e
ambiguous=$("$claimdesk" claim add "$project" "${allow[@]}" --article "$lavrov" \
  --quote "the Iranian authorities have taken a responsible and balanced stand" 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "an ambiguous quote should exit 1, got $code: $ambiguous"
echo "$ambiguous" | grep -q "occurs 2 times" || fail "the message should count the places: $ambiguous"
echo "$ambiguous" | grep -q -- "--occurrence" || fail "the message should say how to choose: $ambiguous"
[ "$(count claims)" = "$claims_before" ] || fail "a refused command changed the project"

# The claim, by a quote found once; its id is printed alone on stdout.
claim=$("$claimdesk" claim add "$project" "${allow[@]}" --article "$lavrov" \
  --quote "With regard to Gaza, there is a serious risk of that crisis growing into a regional conflict… the Iranian authorities have taken a responsible and balanced stand" \
  2>/dev/null)
[ -n "$claim" ] || fail "claim add printed no id"

# A verdict not on the scale is refused with the scale listed.
set +e
unknown=$("$claimdesk" claim set "$project" "${allow[@]}" "$claim" --verdict "Pants on fire" 2>&1)
code=$?
set -e
[ "$code" = 1 ] || fail "an unknown verdict should exit 1, got $code"
echo "$unknown" | grep -q "Mostly false" || fail "the message should list the scale: $unknown"

"$claimdesk" claim set "$project" "${allow[@]}" "$claim" --claimant "Sergey Lavrov" \
  --verdict false --note "Iran's foreign minister warned the same week that any possibility in the region is likely; Moscow hosted Hamas leaders." 2>/dev/null

"$claimdesk" evidence add "$project" "${allow[@]}" "$claim" --article "$iran" \
  --quote "any possibility in the region is likely" --stance refutes \
  --note "Iran's foreign minister threatens escalation the same week." >/dev/null 2>&1
"$claimdesk" evidence add "$project" "${allow[@]}" "$claim" --article "$moscow" \
  --quote "Moscow's door has remained open for Hamas officials" --stance refutes >/dev/null 2>&1

[ "$(count claims)" = $((claims_before + 1)) ] || fail "claims: $(count claims)"
[ "$(count rated)" = $((rated_before + 1)) ] || fail "rated: $(count rated)"
[ "$(count evidence)" = $((evidence_before + 2)) ] || fail "evidence: $(count evidence)"

listed=$("$claimdesk" claim list "$project" "${allow[@]}" --json)
echo "$listed" | grep -q "\"id\": \"$claim\"" || fail "claim list --json lacks the claim"
echo "$listed" | grep -q '"verdict": "False"' || fail "claim list --json lacks the verdict"

"$claimdesk" export "$project" "${allow[@]}" --format html -o "$work/report.html" 2>/dev/null
"$claimdesk" export "$project" "${allow[@]}" --format claimreview -o "$work/claimreview.json" 2>/dev/null
for needle in "Sergey Lavrov" "False" "serious risk of that crisis" "any possibility in the region is likely" "open for Hamas officials"; do
  grep -q "$needle" "$work/report.html" || fail "the HTML report lacks “$needle”"
done
grep -q "Sergey Lavrov" "$work/claimreview.json" || fail "ClaimReview lacks the claimant"
grep -q '"False"' "$work/claimreview.json" || fail "ClaimReview lacks the rating"
echo "ok: claim $claim rated False with 2 refuting passages, in the HTML report and ClaimReview"
