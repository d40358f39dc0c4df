#!/usr/bin/env bash
# Stops the local control plane in CLUSTER_DIR: only the PIDs up.sh recorded
# (and only while they still run the binary it started), then removes etcd's
# data. The state directory stays, for its logs, until the next up.sh.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ -d "$CLUSTER_DIR" ] || { say "nothing to stop in $CLUSTER_DIR"; exit 0; }

# Clients first, etcd last, so nothing logs a storm of connection errors.
for name in kwok scheduler controller-manager apiserver etcd; do
  if pid_alive "$name"; then
    say "stopping $name (pid $(cat "$CLUSTER_DIR/pids/$name.pid"))"
  fi
  stop "$name"
done
if [ -L "$CLUSTER_DIR/etcd-data" ]; then
  data=$(readlink "$CLUSTER_DIR/etcd-data")
  case $data in
    */kubectl-drunc-etcd.*) rm -rf "$data" ;;
  esac
  rm -f "$CLUSTER_DIR/etcd-data"
fi
rm -rf "$CLUSTER_DIR/pids"
say "stopped (logs kept in $CLUSTER_DIR/logs)"
