#!/usr/bin/env bash
# Regenerates the parity table's recordings from the real helm4: the test list
# tests/parity_rows_list.rs (one test per row of testdata/parity/rows/*.yaml) and
# testdata/parity/recorded/<file>/<row>.out (helm4's stdout) or .err (its stderr when it
# fails), removing those of rows that are gone. Then runs the rows against the new
# recordings and the live helm4. Review `git diff testdata/parity/recorded` before
# committing: a changed recording is a change in what Helm prints.
set -euo pipefail
cd "$(dirname "$0")/.."
RUDDER_HELM_DIR="$(bash scripts/get-helm.sh)"
export RUDDER_HELM_DIR
RUDDER_PARITY_RECORD=1 cargo test --test integration parity_rows::table_is_current -- --exact --nocapture
cargo test --test integration parity
