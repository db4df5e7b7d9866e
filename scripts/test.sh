#!/usr/bin/env bash
# Runs the whole test suite: installs what the parity and schema checks need when it is
# missing (helm 3.17.2 and 4.1.4, the Kubernetes 1.35 JSON schemas), then `cargo test`
# with any arguments given. Without these tools `cargo test` fails the checks that need
# them, naming what to install (RUDDER_ALLOW_SKIP=1 skips them, each with a visible line).
set -euo pipefail
cd "$(dirname "$0")/.."
RUDDER_HELM_DIR="$(bash scripts/get-helm.sh)"
export RUDDER_HELM_DIR
RUDDER_K8S_SCHEMAS="$(bash scripts/get-k8s-schemas.sh)"
export RUDDER_K8S_SCHEMAS
if ! command -v openssl >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq openssl >/dev/null
  else
    echo "scripts/test.sh: openssl is missing; install it (apt-get install openssl)" >&2
    exit 1
  fi
fi
exec cargo test "$@"
