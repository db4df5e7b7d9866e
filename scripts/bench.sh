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

# rudder render of every environment of rudder.yaml (parallel) against the same three
# releases rendered one after another with `rudder template`; helm4 cannot render the
# Jinja stack, so its figure is the helm-create chart rendered three times in a row.
hyperfine -N --warmup 3 --min-runs 20 \
  "target/release/rudder render" \
  "sh -c 'for e in dev staging prod; do target/release/rudder template nocobase charts/nocobase-stack -n nocobase -f environments/\$e.yaml --kube-version 1.35.0 >/dev/null; done'" \
  "sh -c 'for i in 1 2 3; do $helm_dir/helm4 template $work/mychart -f $values >/dev/null; done'"
