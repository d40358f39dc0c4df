#!/usr/bin/env bash
# Builds the release archives of kubectl-drunc, one per platform:
#   dist/kubectl-drunc_<version>_<os>_<arch>.tar.gz   (.zip for Windows)
#   dist/kubectl-drunc_<version>_<os>_<arch>.tar.gz.sha256
# each holding the binary, LICENSE and the completion shim
# kubectl_complete-drunc. Version, commit and date are injected with -ldflags
# and shown by `kubectl drunc version`.
#
# Environment (all optional):
#   VERSION    release version with a leading v (default: git describe, or
#              v0.0.0-dev.g<commit> when there is no tag)
#   COMMIT     (default: git rev-parse HEAD)
#   DATE       build date, RFC 3339 UTC (default: the commit's date, so the
#              same commit always yields the same binaries)
#   PLATFORMS  space-separated os/arch list (default: the five released ones)
#   DIST_DIR   output directory (default: <repo>/dist)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=hack/version.sh
. hack/version.sh

PLATFORMS=${PLATFORMS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64"}
DIST_DIR=${DIST_DIR:-$root/dist}
pkg=github.com/kubectl-drunc/kubectl-drunc/plugin/cli
ldflags="-s -w -X $pkg.Version=$VERSION -X $pkg.Commit=$COMMIT -X $pkg.Date=$DATE"

mkdir -p "$DIST_DIR"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for platform in $PLATFORMS; do
  os=${platform%/*} arch=${platform#*/}
  exe=kubectl-drunc
  [ "$os" = windows ] && exe=kubectl-drunc.exe
  name=kubectl-drunc_${VERSION}_${os}_${arch}
  dir=$stage/$name
  mkdir -p "$dir"
  echo "dist: building $name" >&2
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "$ldflags" \
    -o "$dir/$exe" ./cmd/kubectl-drunc
  cp LICENSE "$dir/LICENSE"
  cp krew/kubectl_complete-drunc "$dir/kubectl_complete-drunc"
  chmod 0755 "$dir/$exe" "$dir/kubectl_complete-drunc"
  chmod 0644 "$dir/LICENSE"
  # Fixed owner, order and mtime: the archive depends on the sources only.
  touch -d "@$SOURCE_DATE_EPOCH" "$dir"/*
  files=("$exe" LICENSE kubectl_complete-drunc)
  if [ "$os" = windows ]; then
    archive=$name.zip
    rm -f "$DIST_DIR/$archive"
    (cd "$dir" && TZ=UTC zip -q -X "$DIST_DIR/$archive" "${files[@]}")
  else
    archive=$name.tar.gz
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
      -C "$dir" -cf - "${files[@]}" | gzip -n -9 > "$DIST_DIR/$archive"
  fi
  (cd "$DIST_DIR" && sha256sum "$archive" > "$archive.sha256")
  echo "$DIST_DIR/$archive"
done
