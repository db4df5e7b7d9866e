#!/usr/bin/env bash
# Records what helm4 prints for every case of the go-surface fixture charts into
# testdata/go-surface/<fixture>/<case>.out (stdout) or <case>.err (stderr, when helm4
# fails), for tests/go_surface.rs. A case is testdata/go-surface/<fixture>/<case>.yaml (a
# values file) with an optional <case>.args (more arguments, one line); it renders
#   helm template rel testdata/charts/go-surface/<fixture> -f <case>.yaml <args>
# Review the diff before committing: a changed recording is a change in what Helm prints.
#
# Usage: scripts/record-go-surface.sh [FIXTURE...]   (default: every fixture)
set -euo pipefail
cd "$(dirname "$0")/.."
helm_dir="$(bash scripts/get-helm.sh)"
root="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ "$#" -eq 0 ]; then
  set -- $(cd testdata/go-surface && for d in */; do echo "${d%/}"; done)
fi
for fixture in "$@"; do
  chart="$root/testdata/charts/go-surface/$fixture"
  [ -f "$chart/Chart.yaml" ] || { echo "no chart $chart" >&2; exit 1; }
  for file in "$root/testdata/go-surface/$fixture"/*.yaml; do
    case="$(basename "$file" .yaml)"
    out="$root/testdata/go-surface/$fixture/$case"
    args=()
    if [ -f "$out.args" ]; then
      read -r -a args < "$out.args"
    fi
    rm -f "$out.out" "$out.err"
    if (cd "$work" && HELM_CACHE_HOME="$work/.helm/cache" HELM_CONFIG_HOME="$work/.helm/config" \
        HELM_DATA_HOME="$work/.helm/data" "$helm_dir/helm4" template rel "$chart" \
        -f "$file" "${args[@]}" > "$work/out" 2> "$work/err"); then
      cp "$work/out" "$out.out"
      result=ok
    else
      cp "$work/err" "$out.err"
      result=fails
    fi
    echo "$fixture/$case: $result"
  done
done
