#!/usr/bin/env bash
# Restarts etcd of the local control plane (same flags and data) and waits until the apiserver is ready again.
exec "$(dirname "$0")/restart.sh" etcd
