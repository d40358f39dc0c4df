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
# kwok's patches key its binary alone: changing one rebuilds kwok only.
kwok_key=$(cat "$tools"/kwok/patches/*.patch | sha256sum | cut -c1-12)
bin=$CACHE_DIR/cluster-$key/bin
mkdir -p "$bin"

log() { echo "build: $*" >&2; }

# One build at a time per cache: a second caller waits instead of compiling the
# same binaries in parallel on a small machine.
exec 9>"$CACHE_DIR/build.lock"
if ! flock -n 9; then
  log "another build holds $CACHE_DIR/build.lock; waiting for it"
  flock 9
fi

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

# The module's source (patched below, and its stages), downloaded first: on a
# fresh module cache `go list -m` knows the module but has no directory.
kwok_dir=$(cd "$tools/kwok" && go mod download sigs.k8s.io/kwok && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
[ -n "$kwok_dir" ] && [ -d "$kwok_dir" ] || { log "cannot find the source of sigs.k8s.io/kwok in the module cache"; exit 1; }

# kwok is built from a copy of its module with hack/tools/kwok/patches applied
# (each patch says why), through a temporary go.mod that replaces the module
# with that copy; the tools module itself stays as the proxy serves it. The
# binary is kwok-<patches key>; bin/kwok links to it.
build_patched_kwok() {
  local name=kwok-$kwok_key
  if [ ! -x "$bin/$name" ]; then build_kwok_from_patched_module "$name"; fi
  ln -sfn "$name" "$bin/kwok.link"
  mv -T "$bin/kwok.link" "$bin/kwok"
}

build_kwok_from_patched_module() { # binary-name
  local name=$1 work=$CACHE_DIR/cluster-$key/kwok-src
  rm -rf "$work" && mkdir -p "$work"
  cp -r "$kwok_dir" "$work/module" && chmod -R u+w "$work/module"
  local p
  for p in "$tools"/kwok/patches/*.patch; do
    log "patching kwok: $(basename "$p")"
    patch --batch --forward -s -d "$work/module" -p1 < "$p"
  done
  cp "$tools/kwok/go.mod" "$work/go.mod" && cp "$tools/kwok/go.sum" "$work/go.sum"
  (cd "$tools/kwok" && go mod edit -modfile="$work/go.mod" -replace "sigs.k8s.io/kwok=$work/module")
  log "building kwok (cold builds take minutes)"
  local start=$SECONDS
  (cd "$tools/kwok" && CGO_ENABLED=0 go build -modfile="$work/go.mod" -trimpath -ldflags "-s -w" -o "$bin/$name.tmp" sigs.k8s.io/kwok/cmd/kwok)
  mv "$bin/$name.tmp" "$bin/$name"
  rm -rf "$work"
  log "built kwok in $((SECONDS - start))s"
}

build etcd etcd go.etcd.io/etcd/server/v3
build_patched_kwok
build kube kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$kube_ldflags"
build kube kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$kube_ldflags"
build kube kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$kube_ldflags"
build kube kubectl k8s.io/kubernetes/cmd/kubectl "$kube_ldflags"

# kwok's stages and the Logs CRD come from the module kwok was built from (not
# vendored here). Regenerated on every run (cheap), so editing this list takes
# effect without rebuilding any binary. Fast stages: pods go Running as soon as
# they are bound and vanish as soon as they are deleted, which keeps tests and
# benchmarks bounded by the API server, not by simulated delays.
{
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
    pod/chaos/pod-container-running-failed.yaml; do
    echo "---"; cat "$kwok_dir/kustomize/stage/$f"
  done
} > "$bin/kwok-stages.yaml.tmp"
mv "$bin/kwok-stages.yaml.tmp" "$bin/kwok-stages.yaml"
cp "$kwok_dir/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml" "$bin/kwok-logs-crd.yaml.tmp"
mv "$bin/kwok-logs-crd.yaml.tmp" "$bin/kwok-logs-crd.yaml"
echo "$bin"
