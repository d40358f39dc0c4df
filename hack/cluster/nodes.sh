#!/usr/bin/env bash
# Creates kwok fake nodes (if missing) and waits until they are Ready.
#
#   hack/cluster/nodes.sh np02-srv-001 np02-srv-002 ...
#   NODES="$(seq -f 'np02-srv-%04g' 1000)" make cluster-up     # a thousand
#
# A fake node is what drunc expects of a host: labelled
# kubernetes.io/hostname=<name>, no taints, InternalIP 127.0.0.1 (so the
# apiserver reaches kwok's kubelet API on loopback for `kubectl logs`), and a
# big capacity including hugepages (readout apps ask for them).
#
# NODE_IP_BASE=A.B gives each node an address of its own instead, A.B.x.y
# for the n-th name given (x = n / 256, y = n % 256), as real hosts have:
# with 127.0.0.1 the endpoint controllers refuse every endpoint of a
# host-network pod (a loopback address), retry, and record a warning event
# each time, load and events a real cluster does not have. `kubectl logs`
# then does not reach kwok, so only the scale benchmark uses it.
#
# Only the missing nodes are created, in batches by several kubectl at once
# (one kubectl applying a thousand objects one request at a time takes
# minutes). The wait is one LIST per second, bounded by NODES_TIMEOUT seconds
# (default: 60 plus 0.2 s per node, time for kwok to initialise each one on a
# busy machine).
set -euo pipefail
export LC_ALL=C
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || exit 0
batch=${NODES_BATCH:-25}
timeout=${NODES_TIMEOUT:-$((60 + $# / 5))}
begin=$SECONDS

declare -A position
n=0
for name in "$@"; do
  n=$((n + 1))
  position[$name]=$n
done

# node_ip NAME sets ip to NAME's address (in a variable, not printed: a
# command substitution per node forks a thousand subshells, ~1 s).
node_ip() {
  local n=${position[$1]}
  if [ -n "${NODE_IP_BASE:-}" ]; then
    ip=$NODE_IP_BASE.$((n / 256)).$((n % 256))
  else
    ip=127.0.0.1
  fi
}

manifest() {
  local name ip
  for name in "$@"; do
    node_ip "$name"
    cat <<YAML
---
apiVersion: v1
kind: Node
metadata:
  name: $name
  labels:
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
status:
  addresses:
  - type: InternalIP
    address: $ip
  - type: Hostname
    address: $name
  capacity: &resources
    cpu: "64"
    memory: 256Gi
    pods: "1000"
    ephemeral-storage: 1Ti
    hugepages-1Gi: 64Gi
    hugepages-2Mi: 8Gi
  allocatable: *resources
YAML
  done
}

# ready_nodes prints "NAME STATUS" for every node (STATUS of its Ready condition).
ready_nodes() {
  kc get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}'
}

# missing NAME...: the names no node has yet, one per line.
want=$(printf '%s\n' "$@" | sort -u)
addresses=$(kc get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}')
existing=$(echo "$addresses" | awk 'NF {print $1}' | sort -u)
missing=$(comm -23 <(echo "$want") <(echo "$existing"))

# A node keeps the address it was created with: say so when NODE_IP_BASE
# (or its absence) asks for another, or a reused cluster would silently
# measure with the other addresses.
stale=0 example=
while read -r name address; do
  [ -n "$name" ] && [ -n "${position[$name]:-}" ] || continue
  node_ip "$name"
  if [ "$address" != "$ip" ]; then
    stale=$((stale + 1))
    [ -n "$example" ] || example="$name has $address, not $ip"
  fi
done <<<"$addresses"
[ "$stale" -eq 0 ] || say "warning: $stale existing fake node(s) keep the address they were created with ($example); NODE_IP_BASE applies to new nodes only: make cluster-down, then start the cluster again"
if [ -n "$missing" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "$missing" | split -l "$batch" - "$tmp/batch."
  for f in "$tmp"/batch.*; do
    # shellcheck disable=SC2046
    manifest $(cat "$f") >"$f.yaml"
  done
  # kubectl sends 5 requests/s at most (client-go's default limit, no flag
  # changes it): 16 of them at a time, each creating one batch.
  if ! printf '%s\n' "$tmp"/batch.*.yaml | xargs -P 16 -I{} \
    "$CLUSTER_DIR/bin/kubectl" --kubeconfig="$CLUSTER_DIR/kubeconfig" create -f {} -o name >/dev/null; then
    die "creating fake nodes failed (see the kubectl errors above)"
  fi
fi
created=$((SECONDS - begin))

total=$(echo "$want" | wc -l)
ready=0
deadline=$((SECONDS + timeout))
next_say=$((SECONDS + 10))
while :; do
  ready=$(comm -12 <(echo "$want") <(ready_nodes 2>/dev/null | awk '$2 == "True" {print $1}' | sort -u) | wc -l)
  [ "$ready" -lt "$total" ] || break
  if [ "$SECONDS" -ge "$deadline" ]; then
    say "$ready of $total fake nodes Ready after ${timeout}s (is kwok running? see $CLUSTER_DIR/logs/kwok.log; NODES_TIMEOUT waits longer)"
    tail -n 20 "$CLUSTER_DIR/logs/kwok.log" >&2 || true
    exit 1
  fi
  if [ "$SECONDS" -ge "$next_say" ]; then
    say "$ready of $total fake nodes Ready"
    next_say=$((SECONDS + 10))
  fi
  sleep 1
done
if [ "$total" -le 10 ]; then
  say "nodes Ready: $*"
else
  say "$total fake nodes Ready ($(echo "$missing" | grep -c . || true) created in ${created}s, all Ready after $((SECONDS - begin))s)"
fi
