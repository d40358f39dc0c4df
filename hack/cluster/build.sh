#!/usr/bin/env bash
# Builds the test control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, kwok) from the Go module proxy into a cache keyed by
# the tools modules' go.sum, so a version change rebuilds and nothing else does.
#
#   hack/cluster/build.sh            # prints the bin directory on stdout
#
# CACHE_DIR (default ~/.cache/kubectl-drunc) is owned by the Makefile; nothing
# is written inside the repository.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tools=$root/hack/tools
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-drunc}
key=$(cat "$tools"/*/go.mod "$tools"/*/go.sum | sha256sum | cut -c1-16)
bin=$CACHE_DIR/cluster-$key/bin
mkdir -p "$bin"

log() { echo "build: $*" >&2; }

kube_version=$(sed -n 's/^require k8s.io\/kubernetes \(v.*\)$/\1/p' "$tools/kube/go.mod")
kube_minor=$(echo "$kube_version" | cut -d. -f2)
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

build() { # module-dir binary package ldflags
  local dir=$1 name=$2 pkg=$3 ldflags=${4:-"-s -w"}
  if [ -x "$bin/$name" ]; then return; fi
  log "building $name (cold builds take minutes)"
  local start=$SECONDS
  (cd "$tools/$dir" && CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  log "built $name in $((SECONDS - start))s"
}

build etcd etcd go.etcd.io/etcd/server/v3
build kwok kwok sigs.k8s.io/kwok/cmd/kwok
build kube kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$kube_ldflags"
build kube kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$kube_ldflags"
build kube kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$kube_ldflags"
build kube kubectl k8s.io/kubernetes/cmd/kubectl "$kube_ldflags"

# kwok's stages come from the module it was built from (not vendored here).
if [ ! -f "$bin/kwok-stages.yaml" ]; then
  kwok_dir=$(cd "$tools/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
  {
    for f in node/fast/node-initialize.yaml node/heartbeat/node-heartbeat.yaml \
      pod/general/pod-ready.yaml pod/general/pod-complete.yaml pod/general/pod-delete.yaml \
      pod/general/pod-create.yaml pod/chaos/pod-container-running-failed.yaml; do
      if [ -f "$kwok_dir/kustomize/stage/$f" ]; then
        echo "---"; cat "$kwok_dir/kustomize/stage/$f"
      fi
    done
  } > "$bin/kwok-stages.yaml.tmp"
  mv "$bin/kwok-stages.yaml.tmp" "$bin/kwok-stages.yaml"
fi
echo "$bin"
