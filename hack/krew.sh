#!/usr/bin/env bash
# Writes the krew manifest krew/drunc.yaml from krew/drunc.yaml.tmpl: the
# version, and the sha256 of each archive that hack/dist.sh made in DIST_DIR.
#
#   hack/krew.sh             # after hack/dist.sh, with the same VERSION
#
# Environment: VERSION, DIST_DIR (as hack/dist.sh), KREW_MANIFEST (output,
# default krew/drunc.yaml; krew requires the file name to be <plugin>.yaml).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=hack/version.sh
. hack/version.sh
DIST_DIR=${DIST_DIR:-$root/dist}
KREW_MANIFEST=${KREW_MANIFEST:-$root/krew/drunc.yaml}

args=(-e "s|@VERSION@|$VERSION|g")
for platform in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64; do
  os=${platform%/*} arch=${platform#*/}
  ext=tar.gz
  [ "$os" = windows ] && ext=zip
  sumfile=$DIST_DIR/kubectl-drunc_${VERSION}_${os}_${arch}.$ext.sha256
  if [ ! -f "$sumfile" ]; then
    echo "krew: $sumfile is missing: run 'make dist' first (with the same VERSION=$VERSION)" >&2
    exit 1
  fi
  args+=(-e "s|@SHA256_${os}_${arch}@|$(cut -d' ' -f1 "$sumfile")|g")
done
tmp=$(mktemp "$KREW_MANIFEST.XXXXXX")
sed "${args[@]}" -e '1,2{/^#/d}' krew/drunc.yaml.tmpl > "$tmp"
if grep -n '@[A-Za-z0-9_]*@' "$tmp" >&2; then
  rm -f "$tmp"
  echo "krew: placeholders left unfilled in krew/drunc.yaml.tmpl (above)" >&2
  exit 1
fi
mv "$tmp" "$KREW_MANIFEST"
echo "$KREW_MANIFEST"
