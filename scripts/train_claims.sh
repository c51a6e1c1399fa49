#!/bin/sh
# Retrains the bundled check-worthiness model and prints its figures.
#
# Reads ../shared/eval/claims (ClaimBuster + CLEF 2019; never committed). Trains on the
# ClaimBuster 80% split only, picks the threshold by 5-fold CV on it, reports the held-out 20%
# and held-out CLEF debates, and writes assets/models/claims.bin (compiled into the binary, so
# rebuild afterwards). Deterministic: same data and seed give the same file.
set -eu
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/targets/claims}"
cargo run --release -p claimdesk-dev --quiet -- train-claims \
    --data "${1:-../shared/eval/claims}" --out assets/models/claims.bin
cargo build --release -p claimdesk-dev --quiet
cargo run --release -p claimdesk-dev --quiet -- eval-claims --data "${1:-../shared/eval/claims}"
