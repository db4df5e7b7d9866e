#!/usr/bin/env bash
# Installs the Kubernetes JSON schemas the chart tests validate rendered objects
# against (strict: unknown fields are errors), and prints their folder.
#
# Usage: scripts/get-k8s-schemas.sh [DIR]  (default: $RUDDER_K8S_SCHEMAS or
#        ~/.cache/rudder-k8s-schemas)
#
# kubectl cannot validate offline (every dry run needs an API server); the PyPI
# package kubernetes-validate (Apache-2.0) ships the schemas of each Kubernetes
# version. We take v1.35's strict, locally-referenced set.
set -euo pipefail

version="v1.35.0-local-strict"
dest="${1:-${RUDDER_K8S_SCHEMAS:-${HOME}/.cache/rudder-k8s-schemas}}"
if [[ -f "$dest/$version/_definitions.json" ]]; then
  echo "$dest/$version"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" "kubernetes-validate==1.37.0" >&2
python3 - "$work" "$dest" "$version" <<'PY'
import glob, os, sys, zipfile
work, dest, version = sys.argv[1:]
prefix = f"kubernetes_validate/kubernetes-json-schema/{version}/"
target = os.path.join(dest, version)
partial = target + ".part"
os.makedirs(partial, exist_ok=True)
with zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0]) as z:
    for name in z.namelist():
        if name.startswith(prefix) and name.endswith(".json"):
            with open(os.path.join(partial, name[len(prefix):]), "wb") as f:
                f.write(z.read(name))
if os.path.exists(target):
    import shutil
    shutil.rmtree(target)
os.replace(partial, target)
PY
echo "$dest/$version"
