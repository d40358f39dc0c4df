#!/usr/bin/env bash
# Runs a command against the local control plane in CLUSTER_DIR: uses it when
# it is up, otherwise starts it (building it first if needed) and stops it
# afterwards (unless KEEP=1). Fake nodes named in NODES are created either way.
# The command gets DRUNC_TEST_KUBECONFIG and KUBECONFIG set, the control
# plane's binaries (kubectl, ...) first on PATH, and DRUNC_TEST_CLUSTER_STARTED=1
# when the cluster was started for this run (nobody else uses it: the scale
# benchmark may restart its API server).
#
#   hack/cluster/with-cluster.sh go test ./...
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
here=$cluster_root/hack/cluster

started=
if [ -f "$CLUSTER_DIR/kubeconfig" ] && pid_alive apiserver && apiserver_ready >/dev/null 2>&1; then
  say "using the running cluster in $CLUSTER_DIR"
  [ -z "${NODES:-}" ] || "$here/nodes.sh" $NODES
else
  "$here/up.sh" >/dev/null
  started=1
  say "started for this run; it stops when the run ends"
fi
stop_started() {
  local rc=$?
  if [ -n "$started" ]; then
    if [ "${KEEP:-}" = 1 ]; then
      say "KEEP=1: left running (make cluster-down stops it)"
    else
      "$here/down.sh" >/dev/null 2>&1 || true
      say "stopped the cluster this run started"
    fi
  fi
  exit $rc
}
trap stop_started EXIT
trap 'exit 130' INT TERM

export DRUNC_TEST_KUBECONFIG=$CLUSTER_DIR/kubeconfig
export DRUNC_TEST_CLUSTER_STARTED=${started:-0}
export KUBECONFIG=$CLUSTER_DIR/kubeconfig
export PATH=$CLUSTER_DIR/bin:$PATH
"$@"
