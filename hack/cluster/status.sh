#!/usr/bin/env bash
# Reports whether the local control plane in CLUSTER_DIR is up: each process,
# the apiserver's readiness and the fake nodes. Exit code 0 only when all of
# it is healthy.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
if [ ! -f "$CLUSTER_DIR/ports.env" ]; then
  echo "no cluster in $CLUSTER_DIR (start one with: make cluster-up)"
  exit 1
fi
# shellcheck disable=SC1091
. "$CLUSTER_DIR/ports.env"
ok=0
printf '%-20s %-8s %s\n' COMPONENT PID STATE
for name in $components; do
  if pid_alive "$name"; then
    printf '%-20s %-8s %s\n' "$name" "$(cat "$CLUSTER_DIR/pids/$name.pid")" running
  else
    printf '%-20s %-8s %s\n' "$name" - "NOT RUNNING (log: $CLUSTER_DIR/logs/$name.log)"
    ok=1
  fi
done
echo
if apiserver_ready >/dev/null 2>&1; then
  echo "apiserver:  https://127.0.0.1:$APISERVER_PORT ready (since $(cat "$CLUSTER_DIR/started-at" 2>/dev/null))"
  echo "kubeconfig: $CLUSTER_DIR/kubeconfig"
  echo "kwok:       127.0.0.1:$KWOK_PORT   etcd: 127.0.0.1:$ETCD_PORT"
  echo
  kc get nodes -l type=kwok 2>&1 | head -n 30
else
  echo "apiserver: NOT READY on https://127.0.0.1:$APISERVER_PORT"
  ok=1
fi
exit $ok
