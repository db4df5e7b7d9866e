#!/usr/bin/env bash
# Times `rudder template` against `helm4 template` on the helm-create pair (hyperfine,
# from Debian's packages). A benchmark, not a test: nothing here asserts a time.
set -euo pipefail
cd "$(dirname "$0")/.."
helm_dir="${RUDDER_HELM_DIR:-$(bash scripts/get-helm.sh)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$helm_dir/helm4" create mychart >/dev/null)
cargo build --release --quiet
values=testdata/parity/helm-create/ingress-autoscaling.yaml
hyperfine -N --warmup 5 --min-runs 30 \
  "target/release/rudder template testdata/charts/helm-create-jinja -f $values" \
  "$helm_dir/helm4 template $work/mychart -f $values"
