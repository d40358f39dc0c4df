# Sourced by hack/dist.sh and hack/krew.sh: one definition of the release
# version, commit and date (override any of them from the environment).
if [ -z "${VERSION:-}" ]; then
  VERSION=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null || true)
  if [ -z "$VERSION" ]; then
    # No tag yet: a semver pre-release that krew accepts; the g keeps an
    # all-digit hash from being read as a number with leading zeros.
    VERSION=v0.0.0-dev.g$(git rev-parse --short=7 HEAD)
  fi
fi
case $VERSION in
  v*) ;;
  *) echo "VERSION must start with v (got $VERSION)" >&2; exit 2 ;;
esac
COMMIT=${COMMIT:-$(git rev-parse HEAD)}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
DATE=${DATE:-$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)}
export VERSION COMMIT DATE SOURCE_DATE_EPOCH
