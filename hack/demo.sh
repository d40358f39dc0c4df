#!/usr/bin/env bash
# The steps of `make demo`, run by hack/cluster/with-cluster.sh (which starts
# the local control plane with the fake nodes in NODES, sets KUBECONFIG, and
# stops the cluster afterwards unless KEEP=1). kubectl finds the plugin as
# bin/kubectl-drunc on PATH, exactly as it would after a krew install.
#
# It runs the README's walk-through on the project's OKS example (no DUNE
# software needed), and boots the boot-file example beside it: the two use
# different NodePorts, so both run on one cluster.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH=$root/bin:$PATH
# The example's schema is next to it; a DUNE release's DB path is not needed.
unset DUNEDAQ_DB_PATH

run() { printf '\n$ %s\n' "$*"; "$@"; }

run kubectl drunc version
run kubectl get nodes -o wide

session_exists() { kubectl get namespace "$1" >/dev/null 2>&1; }
for s in demo demo-session; do
  if session_exists "$s"; then # left by an earlier KEEP=1 demo
    run kubectl drunc terminate -n "$s"
  fi
done

# --- the README's walk-through ---------------------------------------------
run kubectl drunc config processes --oks examples/oks/demo.data.xml --session-id demo
run kubectl drunc boot --oks examples/oks/demo.data.xml --session-id demo
run kubectl drunc ps -n demo
run hack/fake-logs.sh demo
run kubectl drunc logs -n demo root-controller
run kubectl drunc wait -n demo --for=ready --timeout=1m
run kubectl drunc kill -n demo '^readout-02$'
run kubectl drunc ps -n demo

# --- the boot-file example, side by side ------------------------------------
run kubectl drunc boot -f examples/boot/demo-session.yaml --pm-config examples/pm-config.json
run kubectl drunc ps -A

if [ "${KEEP:-}" = 1 ]; then
  printf '\nKEEP=1: sessions demo and demo-session left running (kubectl drunc terminate -n NAME ends one)\n'
else
  run kubectl drunc terminate -n demo-session
  run kubectl drunc terminate -n demo
fi
