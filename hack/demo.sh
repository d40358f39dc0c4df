#!/usr/bin/env bash
# The steps of `make demo`, run by hack/cluster/with-cluster.sh (which starts
# the local control plane with the fake nodes in NODES, sets KUBECONFIG, and
# stops the cluster afterwards unless KEEP=1). kubectl finds the plugin as
# bin/kubectl-drunc on PATH, exactly as it would after a krew install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$root/bin:$PATH

run() { printf '\n$ %s\n' "$*"; "$@"; }

run kubectl drunc version
run kubectl get nodes -o wide

# --- boot, ps, terminate ----------------------------------------------------
# kwok's fake nodes have no reachable address, so the reachability probes of
# the connection server and the root controller are skipped (--no-probe).
# Both examples expose their connection server on NodePort 30500, so one
# session runs at a time.
session_exists() { kubectl get namespace "$1" >/dev/null 2>&1; }
for s in demo-session demo; do
  if session_exists "$s"; then # left by an earlier KEEP=1 demo
    run kubectl drunc terminate -n "$s"
  fi
done

# The project's boot-file example.
run kubectl drunc boot -f examples/boot/demo-session.yaml --pm-config examples/pm-config.json --no-probe
run kubectl drunc ps -n demo-session
last=demo-session

# The project's OKS example needs DUNE's schema files (a DUNE DAQ release's
# database directories): from DUNEDAQ_DB_PATH, else a DUNE database checked
# out next to the repository.
db=${DUNEDAQ_DB_PATH:-}
if [ -z "$db" ] && [ -f "$root/../shared/oks/schema/confmodel/dunedaq.schema.xml" ]; then
  db=$(cd "$root/../shared/oks" && pwd)
fi
if [ -n "$db" ]; then
  run kubectl drunc terminate -n demo-session
  run kubectl drunc boot --oks examples/oks/demo.data.xml --db-path "$db" --session-id demo --no-probe
  run kubectl drunc ps -n demo
  last=demo
else
  printf '\n(OKS example skipped: set DUNEDAQ_DB_PATH to a DUNE DAQ release database to boot examples/oks/demo.data.xml)\n'
fi

if [ "${KEEP:-}" = 1 ]; then
  printf '\nKEEP=1: session %s left running (kubectl drunc terminate -n %s ends it)\n' "$last" "$last"
else
  run kubectl drunc terminate -n "$last"
fi
