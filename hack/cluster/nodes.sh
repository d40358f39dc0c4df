#!/usr/bin/env bash
# Creates kwok fake nodes (if missing) and waits until they are Ready.
#
#   hack/cluster/nodes.sh np02-srv-001 np02-srv-002 ...
#
# A fake node is what drunc expects of a host: labelled
# kubernetes.io/hostname=<name>, no taints, InternalIP 127.0.0.1 (so the
# apiserver reaches kwok's kubelet API on loopback for `kubectl logs`), and a
# big capacity including hugepages (readout apps ask for them).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || exit 0

for name in "$@"; do
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
    address: 127.0.0.1
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
done | kc apply -f - >/dev/null

nodes=()
for name in "$@"; do nodes+=("node/$name"); done
if ! kc wait --for=condition=Ready --timeout=60s "${nodes[@]}" >/dev/null; then
  say "fake nodes did not become Ready within 60s (is kwok running? see $CLUSTER_DIR/logs/kwok.log)"
  tail -n 20 "$CLUSTER_DIR/logs/kwok.log" >&2 || true
  exit 1
fi
say "nodes Ready: $*"
