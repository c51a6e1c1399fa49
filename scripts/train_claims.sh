#!/bin/sh
# Retrains the bundled check-worthiness model and prints its figures.
#
# Reads ../shared/eval/claims (never committed); needs python3 with scikit-learn and scipy.
# Trains on the ClaimBuster 80% split only (scripts/claims/common.py), cross-validates, fits
# the calibration, writes assets/models/claims.bin (compiled into the binary, so rebuild
# afterwards), the Python scores of fixed sentences that a Rust test compares with
# (claims.expected.tsv) and the held-out ids; then scores the held-out 20% with the Rust
# scorer. Deterministic: same data, same file.
#   scripts/train_claims.sh [--teacher [--teacher-confidence]]   # add scripts/claims/teacher.py's labels
# The shipped model: python3 scripts/claims/teacher.py (15 min on 2 cores), then
#   scripts/train_claims.sh --teacher --teacher-confidence
set -eu
cd "$(dirname "$0")/.."
nice -n 10 python3 scripts/claims/train_ngram.py "$@"
cargo run --release -p claimdesk-dev --quiet -- eval-claims --data ../shared/eval/claims
