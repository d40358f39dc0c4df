# Shared by up.sh, down.sh, status.sh and the restart scripts (sourced).
#
# State directory layout ($CLUSTER_DIR):
#   kubeconfig            admin (client certificate in system:masters)
#   pki/                  CA, serving and client certificates, service-account keys
#   tokens.csv            the apiserver's static token file (components + test users)
#   users/<name>.token    one token per test user, for RBAC tests
#   kubeconfigs/          one kubeconfig per component
#   ports.env             every port the cluster listens on (127.0.0.1 only)
#   pids/<name>.pid       PID of each process up.sh started (down.sh kills these only)
#   args/<name>.args      its binary and arguments, one per line (the restart scripts reuse them)
#   logs/<name>.log       its output; audit/audit.log the apiserver's audit log (writes only)
#   etcd-data             symlink to etcd's data directory (tmpfs when available)
#   bin                   the control-plane binaries in use
#   started-at, start-seconds   when the cluster came up, and how long it took
set -euo pipefail

cluster_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-drunc}
CLUSTER_DIR=${CLUSTER_DIR:-$CACHE_DIR/cluster-state}
export CACHE_DIR CLUSTER_DIR

say() { echo "cluster: $*" >&2; }
die() { echo "cluster: error: $*" >&2; exit 1; }

# kc runs the project's kubectl as cluster admin.
kc() { "$CLUSTER_DIR/bin/kubectl" --kubeconfig="$CLUSTER_DIR/kubeconfig" "$@"; }

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a port nothing listens on, from a range away from the usual
# defaults so that two clusters (CLUSTER_DIR) or other services don't collide,
# below the API server's NodePort range (30000-32767: the tests play
# processes on <node address>:<NodePort>, and a probe that expects nothing to
# answer must not reach etcd) and so below Linux's ephemeral range
# (32768-60999: there, an outgoing connection could take the port between
# this check and the server's bind).
free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 10000))
    if ! port_in_use "$p" && ! grep -qw "$p" "$CLUSTER_DIR/ports.env" 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free port found on 127.0.0.1"
}

# pid_alive NAME: true when the PID recorded for NAME is still the binary we
# started (a recycled PID belonging to another program does not count).
pid_alive() {
  local name=$1 pidf="$CLUSTER_DIR/pids/$1.pid" pid exe want
  [ -f "$pidf" ] || return 1
  pid=$(cat "$pidf")
  want=$(head -n1 "$CLUSTER_DIR/args/$name.args" 2>/dev/null) || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "$exe" = "$want" ]
}

# start NAME BINARY ARGS...: runs it in its own session (so a Ctrl-C in the
# terminal that started the cluster does not reach it), output to logs/NAME.log.
# The binary is recorded by its real path, which is what /proc/PID/exe shows
# (bin/kwok is a symlink): pid_alive compares the two.
start() {
  local name=$1 binary
  binary=$(readlink -f "$2") || die "$2: not found"
  shift 2
  mkdir -p "$CLUSTER_DIR/pids" "$CLUSTER_DIR/args" "$CLUSTER_DIR/logs"
  printf '%s\n' "$binary" "$@" >"$CLUSTER_DIR/args/$name.args"
  start_recorded "$name"
}

# start_recorded NAME: starts NAME again with the arguments it was started with.
start_recorded() {
  local name=$1 args
  mapfile -t args <"$CLUSTER_DIR/args/$name.args"
  echo "=== $(date -u +%FT%TZ) start" >>"$CLUSTER_DIR/logs/$name.log"
  setsid "${args[@]}" >>"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/pids/$name.pid"
}

# stop NAME [GRACE]: SIGTERM to the recorded PID, SIGKILL after GRACE seconds
# (default 15); only ever the process we started. kube-apiserver with open
# watches can take longer than that to exit after it stopped listening.
stop() {
  local name=$1 grace=${2:-15} pid i
  if ! pid_alive "$name"; then
    rm -f "$CLUSTER_DIR/pids/$name.pid"
    return 0
  fi
  pid=$(cat "$CLUSTER_DIR/pids/$name.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 $((grace * 10))); do
    pid_alive "$name" || break
    sleep 0.1
  done
  if pid_alive "$name"; then
    say "$name (pid $pid) still running ${grace}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  rm -f "$CLUSTER_DIR/pids/$name.pid"
}

# wait_for DESCRIPTION SECONDS COMMAND...: bounded retry loop.
wait_for() {
  local what=$1 secs=$2 deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      return 1
    fi
    sleep 0.2
  done
}

# must_wait NAME DESCRIPTION SECONDS COMMAND...: wait_for, or fail with the
# component's last log lines (and stop it if it died).
must_wait() {
  local name=$1 what=$2 secs=$3
  shift 3
  if ! wait_for "$what" "$secs" "$@"; then
    say "timed out after ${secs}s waiting for $what; last lines of $CLUSTER_DIR/logs/$name.log:"
    tail -n 25 "$CLUSTER_DIR/logs/$name.log" >&2 || true
    pid_alive "$name" || say "$name is not running"
    return 1
  fi
}

apiserver_ready() { kc get --raw=/readyz; }

wait_apiserver() {
  must_wait apiserver "kube-apiserver /readyz" "${1:-90}" apiserver_ready
}

wait_etcd() {
  # shellcheck disable=SC1091
  . "$CLUSTER_DIR/ports.env"
  must_wait etcd "etcd on 127.0.0.1:$ETCD_PORT" 60 port_in_use "$ETCD_PORT"
}

components="etcd apiserver controller-manager scheduler kwok"
