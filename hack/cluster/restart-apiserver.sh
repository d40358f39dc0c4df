#!/usr/bin/env bash
# Restarts kube-apiserver of the local control plane (same flags) and waits until ready.
exec "$(dirname "$0")/restart.sh" apiserver
