#!/usr/bin/env bash
# Records what helm4 prints for every value-file case of ../shared/corpus (see its
# cases/README.md) into testdata/corpus/<chart>/<case>.out.gz (stdout, gzip -n) or
# <case>.err (stderr, when helm4 fails), for tests/corpus_cases.rs. Review the diff before
# committing: a changed recording is a change in what Helm prints.
set -euo pipefail
cd "$(dirname "$0")/.."
helm_dir="$(bash scripts/get-helm.sh)"
corpus="$(cd ../shared/corpus && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for file in "$corpus"/cases/*/*.yaml; do
  chart="$(basename "$(dirname "$file")")"
  case="$(basename "$file" .yaml)"
  args=()
  if [ -f "$corpus/cases/$chart/$case.args" ]; then
    read -r -a args < "$corpus/cases/$chart/$case.args"
  fi
  out="testdata/corpus/$chart/$case"
  mkdir -p "testdata/corpus/$chart"
  rm -f "$out.out.gz" "$out.err"
  if (cd "$work" && HELM_CACHE_HOME="$work/.helm/cache" HELM_CONFIG_HOME="$work/.helm/config" \
      HELM_DATA_HOME="$work/.helm/data" "$helm_dir/helm4" template rel "$corpus/charts/$chart" \
      -f "$file" "${args[@]}" > "$work/out" 2> "$work/err"); then
    gzip -n -9 < "$work/out" > "$out.out.gz"
  else
    cp "$work/err" "$out.err"
  fi
  echo "$chart/$case"
done
