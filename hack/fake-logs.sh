#!/usr/bin/env bash
# hack/fake-logs.sh SESSION: on the local test cluster, give every process
# of SESSION a log, so `kubectl drunc logs` has something to show.
#
# Nothing runs on kwok's fake nodes, so a pod there has no output of its
# own: kwok serves `kubectl logs` from a file named by a Logs object
# (kwok.x-k8s.io/v1alpha1, same name and namespace as the pod). This writes
# one such file per process under $CLUSTER_DIR/fake-logs and creates its
# Logs object. Real clusters need none of this. Uses kubectl and KUBECONFIG.
set -euo pipefail
session=${1:?usage: hack/fake-logs.sh SESSION}
CLUSTER_DIR=${CLUSTER_DIR:-${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-drunc}/cluster-state}
dir=$CLUSTER_DIR/fake-logs/$session
mkdir -p "$dir"
now=$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)
pods=$(kubectl get pods -n "$session" -l creator.drunc.daq -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}')
[ -n "$pods" ] || { echo "fake-logs: no drunc process in session $session" >&2; exit 1; }
for pod in $pods; do
  file=$dir/$pod.log
  printf '%s stdout F %s: started on a fake node (local test cluster)\n' "$now" "$pod" >"$file"
  printf '%s stdout F %s: nothing runs here; this line is all its log\n' "$now" "$pod" >>"$file"
  kubectl apply -f - >/dev/null <<YAML
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Logs
metadata: {name: $pod, namespace: $session}
spec:
  logs:
  - containers: [$pod]
    logsFile: $file
    follow: true
YAML
done
echo "fake-logs: $(wc -w <<<"$pods") processes of session $session have a log" >&2
