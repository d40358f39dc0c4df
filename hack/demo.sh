#!/usr/bin/env bash
# The steps of `make demo`, run by hack/cluster/with-cluster.sh (which starts
# the local control plane with the fake nodes in NODES, sets KUBECONFIG, and
# stops the cluster afterwards unless KEEP=1). kubectl finds the plugin as
# bin/kubectl-drunc on PATH, exactly as it would after a krew install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$root/bin:$PATH

run() { printf '\n$ %s\n' "$*"; "$@"; }

run kubectl drunc version
run kubectl get nodes -o wide
