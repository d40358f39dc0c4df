#!/usr/bin/env bash
# Starts the local control plane on 127.0.0.1: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler and kwok (the fake kubelet), with
# fresh PKI and fresh etcd data, then creates the fake nodes named in NODES.
#
#   CLUSTER_DIR=... NODES="np02-srv-001 np02-srv-002" hack/cluster/up.sh
#
# If the cluster in CLUSTER_DIR is already up, only the missing NODES are
# added. Leftovers of a cluster that died are cleaned first. See lib.sh for
# the state directory layout.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
here=$cluster_root/hack/cluster

if [ -f "$CLUSTER_DIR/kubeconfig" ] && pid_alive apiserver && apiserver_ready >/dev/null 2>&1; then
  say "already running (CLUSTER_DIR=$CLUSTER_DIR)"
  [ -z "${NODES:-}" ] || "$here/nodes.sh" $NODES
  exit 0
fi
if [ -d "$CLUSTER_DIR/pids" ]; then
  say "cleaning up a cluster that is no longer healthy in $CLUSTER_DIR"
  "$here/down.sh"
fi

begin=$(date +%s.%N)
bin=$("$here/build.sh")
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd)
export CLUSTER_DIR
rm -rf "$CLUSTER_DIR/pki" "$CLUSTER_DIR/users" "$CLUSTER_DIR/kubeconfigs" "$CLUSTER_DIR/audit" \
  "$CLUSTER_DIR/logs" "$CLUSTER_DIR/args" "$CLUSTER_DIR/ports.env"
mkdir -p "$CLUSTER_DIR"/{pki,users,kubeconfigs,audit,logs,pids,args}
ln -sfn "$bin" "$CLUSTER_DIR/bin"
date -u +%FT%TZ >"$CLUSTER_DIR/started-at"

# --- ports (all on 127.0.0.1) ---------------------------------------------
: >"$CLUSTER_DIR/ports.env"
for name in ETCD_PORT ETCD_PEER_PORT APISERVER_PORT CONTROLLER_MANAGER_PORT SCHEDULER_PORT KWOK_PORT; do
  echo "$name=$(free_port)" >>"$CLUSTER_DIR/ports.env"
done
# shellcheck disable=SC1091
. "$CLUSTER_DIR/ports.env"
server=https://127.0.0.1:$APISERVER_PORT

# PROFILING=1 serves /debug/pprof on the API server (to the admin
# kubeconfig), the controller-manager and the scheduler (on their secure
# ports, to anyone: they bind to 127.0.0.1), to see where the cluster's
# time goes at scale. Off by default: it costs nothing idle, but nobody
# else should reach it.
profiling=--profiling=false pprof_open=()
if [ "${PROFILING:-}" = 1 ]; then
  profiling=--profiling=true
  pprof_open=("--authorization-always-allow-paths=/healthz,/readyz,/livez,/debug/pprof/*")
fi

# --- PKI ------------------------------------------------------------------
"$here/pki.sh" "$CLUSTER_DIR/pki"
pki=$CLUSTER_DIR/pki

# --- tokens: component identities and restricted test users ----------------
# Format of the static token file: token,user,uid,"group1,group2".
token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
{
  echo "$(token),system:kube-controller-manager,uid-kube-controller-manager"
  echo "$(token),system:kube-scheduler,uid-kube-scheduler"
  echo "$(token),kwok-controller,uid-kwok-controller,\"system:masters\""
} >"$CLUSTER_DIR/tokens.csv"
# Test users have no group beyond system:authenticated: RBAC tests grant them
# exactly what they test (drunc-nobody is never granted anything).
for user in drunc-tester drunc-operator drunc-nobody; do
  t=$(token)
  echo "$t,$user,uid-$user" >>"$CLUSTER_DIR/tokens.csv"
  echo "$t" >"$CLUSTER_DIR/users/$user.token"
done
chmod 600 "$CLUSTER_DIR/tokens.csv" "$CLUSTER_DIR"/users/*.token

# kubeconfig FILE USER (token|cert) ...
kubeconfig() {
  local file=$1 user=$2 kind=$3
  local k=("$bin/kubectl" --kubeconfig="$file")
  "${k[@]}" config set-cluster local --server="$server" --certificate-authority="$pki/ca.crt" --embed-certs=true >/dev/null
  if [ "$kind" = cert ]; then
    "${k[@]}" config set-credentials "$user" --client-certificate="$pki/$4.crt" --client-key="$pki/$4.key" --embed-certs=true >/dev/null
  else
    "${k[@]}" config set-credentials "$user" --token="$(grep ",$user," "$CLUSTER_DIR/tokens.csv" | cut -d, -f1)" >/dev/null
  fi
  "${k[@]}" config set-context local --cluster=local --user="$user" --namespace=default >/dev/null
  "${k[@]}" config use-context local >/dev/null
  chmod 600 "$file"
}
rm -f "$CLUSTER_DIR/kubeconfig"
kubeconfig "$CLUSTER_DIR/kubeconfig" drunc-admin cert admin
kubeconfig "$CLUSTER_DIR/kubeconfigs/controller-manager" system:kube-controller-manager token
kubeconfig "$CLUSTER_DIR/kubeconfigs/scheduler" system:kube-scheduler token
kubeconfig "$CLUSTER_DIR/kubeconfigs/kwok" kwok-controller token

# --- etcd -----------------------------------------------------------------
# Data on tmpfs when there is one: fresh for every cluster, fast fsyncs.
tmpbase=/dev/shm
[ -d "$tmpbase" ] && [ -w "$tmpbase" ] || tmpbase=${TMPDIR:-/tmp}
data=$(mktemp -d "$tmpbase/kubectl-drunc-etcd.XXXXXX")
ln -sfn "$data" "$CLUSTER_DIR/etcd-data"
say "starting etcd on 127.0.0.1:$ETCD_PORT (data in $data)"
start etcd "$bin/etcd" \
  --name=drunc-test \
  --data-dir="$data" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster="drunc-test=http://127.0.0.1:$ETCD_PEER_PORT" \
  --quota-backend-bytes=4294967296 \
  --unsafe-no-fsync=true \
  --log-level=warn
wait_etcd

# --- kube-apiserver -------------------------------------------------------
cp "$here/audit-policy.yaml" "$CLUSTER_DIR/audit/policy.yaml"
say "starting kube-apiserver on $server"
# NodePorts from 1024: drunc exposes the connection server and the root
# controller on NodePorts equal to their own ports, and DUNE's configurations
# use ports such as 5000 (local-1x1-config's connection server).
start apiserver "$bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 \
  --advertise-address=127.0.0.1 \
  --secure-port="$APISERVER_PORT" \
  --endpoint-reconciler-type=none \
  --service-cluster-ip-range=10.96.0.0/16 \
  --service-node-port-range=1024-32767 \
  --client-ca-file="$pki/ca.crt" \
  --tls-cert-file="$pki/apiserver.crt" \
  --tls-private-key-file="$pki/apiserver.key" \
  --token-auth-file="$CLUSTER_DIR/tokens.csv" \
  --authorization-mode=RBAC \
  --allow-privileged=true \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" \
  --service-account-signing-key-file="$pki/sa.key" \
  --kubelet-preferred-address-types=InternalIP \
  --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
  --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority="$pki/ca.crt" \
  --audit-policy-file="$CLUSTER_DIR/audit/policy.yaml" \
  --audit-log-path="$CLUSTER_DIR/audit/audit.log" \
  --audit-log-maxsize=200 \
  --audit-log-maxbackup=1 \
  --max-requests-inflight=1000 \
  --max-mutating-requests-inflight=500 \
  "$profiling"
wait_apiserver 120

# --- kwok's Logs API, so `kubectl logs` of a fake pod serves a file ---------
kc apply -f "$bin/kwok-logs-crd.yaml" >/dev/null
must_wait apiserver "the kwok Logs CRD to be established" 60 \
  kc wait --for=condition=Established --timeout=5s crd/logs.kwok.x-k8s.io

# --- kube-controller-manager, kube-scheduler, kwok --------------------------
say "starting kube-controller-manager, kube-scheduler and kwok"
# Fake nodes heartbeat with Leases renewed every quarter of their duration:
# a thousand nodes at 40 s are 100 writes/s, a large part of 2 cores. Past
# 200 NODES the Leases last 120 s (a renewal every 30 s) and a node turns
# NotReady after 5 minutes without one instead of 90 s, so a loaded machine
# does not flap them. NODE_LEASE_SECONDS and NODE_MONITOR_GRACE override.
# (Small clusters keep 90 s: testcluster.NodeMonitorGracePeriod relies on it.)
node_count=$(echo ${NODES:-} | wc -w)
if [ "$node_count" -gt 200 ]; then
  lease_seconds=${NODE_LEASE_SECONDS:-120} monitor_grace=${NODE_MONITOR_GRACE:-300s}
else
  lease_seconds=${NODE_LEASE_SECONDS:-40} monitor_grace=${NODE_MONITOR_GRACE:-90s}
fi
# --node-monitor-grace-period: 90 s instead of 50 s, because on a loaded
# 2-core machine kwok's Lease renewals can lag and fake nodes would flap
# NotReady (and their pods lose Ready for good: kwok does not restore it).
start controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$CLUSTER_DIR/kubeconfigs/controller-manager" \
  --bind-address=127.0.0.1 \
  --secure-port="$CONTROLLER_MANAGER_PORT" \
  --controllers='*' \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$pki/sa.key" \
  --root-ca-file="$pki/ca.crt" \
  --cluster-signing-cert-file="$pki/ca.crt" \
  --cluster-signing-key-file="$pki/ca.key" \
  --leader-elect=false \
  --kube-api-qps=1000 \
  --kube-api-burst=2000 \
  --concurrent-namespace-syncs=20 \
  --concurrent-gc-syncs=40 \
  --node-monitor-grace-period="$monitor_grace" \
  "$profiling" "${pprof_open[@]}"

start scheduler "$bin/kube-scheduler" \
  --kubeconfig="$CLUSTER_DIR/kubeconfigs/scheduler" \
  --bind-address=127.0.0.1 \
  --secure-port="$SCHEDULER_PORT" \
  --leader-elect=false \
  --kube-api-qps=1000 \
  --kube-api-burst=2000 \
  "$profiling" "${pprof_open[@]}"

# A fresh etcd has no Leases; this matters when kwok is (re)started against
# an existing one: it waits for stale node Leases to expire (~40 s) otherwise.
kc delete leases -n kube-node-lease --all --wait=false >/dev/null 2>&1 || true
cat "$bin/kwok-stages.yaml" "$here/kwok/drunc-stages.yaml" >"$CLUSTER_DIR/kwok-config.yaml"
# Node Leases are the heartbeat: kwok's node-heartbeat-with-lease stage
# refreshes node status only every 10-20 minutes, so without Leases the node
# lifecycle controller marks fake nodes NotReady (and their pods not Ready)
# about a minute after they start.
start kwok "$bin/kwok" \
  --kubeconfig="$CLUSTER_DIR/kubeconfigs/kwok" \
  --config="$CLUSTER_DIR/kwok-config.yaml" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --server-address="127.0.0.1:$KWOK_PORT" \
  --node-ip=127.0.0.1 \
  --node-port="$KWOK_PORT" \
  --cidr=10.244.0.1/16 \
  --tls-cert-file="$pki/kwok.crt" \
  --tls-private-key-file="$pki/kwok.key" \
  --enable-crds=Logs \
  --node-lease-duration-seconds="$lease_seconds" \
  --v=WARN

must_wait controller-manager "the default ServiceAccount (made by kube-controller-manager)" 90 \
  kc get serviceaccount default -n default
must_wait scheduler "kube-scheduler on 127.0.0.1:$SCHEDULER_PORT" 60 port_in_use "$SCHEDULER_PORT"
must_wait kwok "kwok on 127.0.0.1:$KWOK_PORT" 60 port_in_use "$KWOK_PORT"

[ -z "${NODES:-}" ] || "$here/nodes.sh" $NODES

end=$(date +%s.%N)
awk -v a="$begin" -v b="$end" 'BEGIN{printf "%.1f\n", b-a}' >"$CLUSTER_DIR/start-seconds"
say "up in $(cat "$CLUSTER_DIR/start-seconds")s; kubeconfig: $CLUSTER_DIR/kubeconfig"
echo "$CLUSTER_DIR/kubeconfig"
