#!/usr/bin/env bash
# Builds the developer tools that release and lint checks use (krew, krew's
# manifest validator, golangci-lint) from the Go module proxy into a cache
# keyed by their tools modules, and prints the bin directory on stdout.
#
#   hack/devtools/build.sh krew            # krew + validate-krew-manifest
#   hack/devtools/build.sh golangci-lint
#
# CACHE_DIR (default ~/.cache/kubectl-drunc) is owned by the Makefile. These
# modules live outside hack/tools/ so that adding or bumping one does not
# change the control plane's cache key.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
CACHE_DIR=${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-drunc}
tool=${1:?usage: $0 krew|golangci-lint}
mod=$root/hack/devtools/$tool
[ -f "$mod/go.mod" ] || { echo "devtools: no tools module $mod" >&2; exit 2; }
key=$(cat "$mod/go.mod" "$mod/go.sum" | sha256sum | cut -c1-16)
bin=$CACHE_DIR/$tool-$key/bin
mkdir -p "$bin"

build() { # binary package
  local name=$1 pkg=$2
  [ -x "$bin/$name" ] && return
  echo "devtools: building $name" >&2
  local start=$SECONDS
  (cd "$mod" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin/$name.tmp" "$pkg")
  mv "$bin/$name.tmp" "$bin/$name"
  echo "devtools: built $name in $((SECONDS - start))s" >&2
}

case $tool in
  krew)
    build validate-krew-manifest sigs.k8s.io/krew/cmd/validate-krew-manifest
    # kubectl finds plugins by name: kubectl-krew makes `kubectl krew` work.
    build kubectl-krew sigs.k8s.io/krew/cmd/krew
    ;;
  golangci-lint)
    build golangci-lint github.com/golangci/golangci-lint/v2/cmd/golangci-lint
    ;;
esac
echo "$bin"
