#!/usr/bin/env bash
# Restarts one component of the running local control plane with the same
# arguments and waits until it serves again. Fault tests use it through
# testcluster's RestartAPIServer (e.g. a watch must survive an apiserver restart).
#
#   hack/cluster/restart.sh apiserver|etcd|controller-manager|scheduler|kwok
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
name=${1:?usage: restart.sh apiserver|etcd|controller-manager|scheduler|kwok}
[ -f "$CLUSTER_DIR/args/$name.args" ] || die "no $name recorded in $CLUSTER_DIR (is the cluster up?)"
begin=$SECONDS
stop "$name" 5
if [ "$name" = kwok ]; then
  kc delete leases -n kube-node-lease --all --wait=false >/dev/null 2>&1 || true
fi
start_recorded "$name"
case $name in
  etcd) wait_etcd; wait_apiserver 60 ;;
  apiserver) wait_apiserver 90 ;;
  *)
    # shellcheck disable=SC1091
    . "$CLUSTER_DIR/ports.env"
    port=$(case $name in controller-manager) echo "$CONTROLLER_MANAGER_PORT" ;; scheduler) echo "$SCHEDULER_PORT" ;; kwok) echo "$KWOK_PORT" ;; esac)
    must_wait "$name" "$name on 127.0.0.1:$port" 60 port_in_use "$port"
    ;;
esac
say "$name restarted in $((SECONDS - begin))s"
