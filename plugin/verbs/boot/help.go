package boot

// bootLong is boot --help's description (docs/commands is generated from it).
const bootLong = `Boot a drunc session on Kubernetes. The session (a namespace) and its
processes come from a boot file (-f); each process becomes one pod, pinned
to its host and shaped as drunc's Kubernetes process manager shapes it,
and one service.

Without --dry-run the session is created in dependency order: the hosts
are checked first (all must be Ready, schedulable nodes without a
NoSchedule or NoExecute taint, or nothing is created), then the
namespace, the local
connection server (Ready and answering HTTP on <node>:<port> before
anything else, since every later pod resolves "localhost" to it), the root
controller (Ready and accepting TCP), then every other process at once.
Progress goes to stderr; the boot waits until all processes are Ready
(--wait, --timeout) and ends with a table of those that are not, with
their status and last event. Exit code 0 means every process is Ready.
A NodePort the session needs that another service in the cluster holds is
found before anything is written; the error names the port, the process
and the session and service holding it (when listing services in all
namespaces is not allowed, the check is skipped with a note).

The session remembers what was booted: right after the namespace, boot
claims the session for its source (the boot file, or the OKS file and
session id), and at the end it records every process it created (its spec
and uuid), in ConfigMaps of the session, a handful of writes per boot.

Booting into a session that exists completes it, like kubectl apply: if
kubectl drunc booted it from the same source, only the processes without a
pod (killed, flushed, lost, or never created) are created, with the uuid
they had, and boot reports "N created, M already running"; running it
again creates nothing and exits 0. A process whose running pod differs
from the configuration is not touched: boot lists what differs (as
kubectl drunc diff does) and exits 1 before any write, unless --replace,
which kills those processes in drunc's stage order and creates them
again. A process the session runs that the configuration no longer has
is left as it is, with a warning naming it (kill removes it; unlike
kubectl apply --prune, boot deletes nothing). The same source is the
same boot file or OKS file name (and OKS session id), wherever it lies.
A session booted from another source is refused, naming both; one
without a record (booted by drunc's Python manager) is refused as "already
exists". Two identical boots at once create every process once.

A boot that stops (refused, failed or Ctrl-C) before it created any
process deletes the namespace it created, so running it again starts
afresh. Once processes exist they are left for you to inspect, unless
--rollback: on failure or Ctrl-C it deletes what the boot created,
namespace included (only the processes, when the session existed). A boot whose session is terminated meanwhile stops
at once and says so.

The reachability checks (--no-probe turns them off) say what they wait
for, where, and how long is left. A process on a kwok fake node (annotation
kwok.x-k8s.io/node: fake, as on the local test cluster) is not probed:
nothing runs there to answer; the progress says so (--probe-fake-nodes
probes it anyway).

With --dry-run=client nothing is sent to any cluster: the objects that
would be created (the namespace, then each process's pod and service in
boot order) are printed, so no cluster needs to be reachable. -o applies
to the dry run only: a real boot prints one line when the session is up,
and -o without --dry-run=client is refused before anything is written.

drunc's Kubernetes process-manager JSON can be given with --pm-config; its
image, labels, volumes, timeouts and host resources are honoured.`

// bootExamples run as written from the repository's root (the dry-run ones
// are run by TestHelpDryRunExamplesRun).
const bootExamples = `  # Boot the session of a boot file and wait until every process is Ready
  kubectl drunc boot -f examples/boot/demo-session.yaml --pm-config examples/pm-config.json

  # Boot DUNE's local 1x1 session from OKS, where "localhost" is node np02-srv-001;
  # undo everything if it does not come up within two minutes
  kubectl drunc boot --oks config/daqsystemtest/example-configs.data.xml --session-id local-1x1-config \
    --localhost np02-srv-001 --timeout 2m --rollback

  # Show what would be created, as YAML, without touching any cluster
  kubectl drunc boot -f examples/boot/demo-session.yaml --pm-config examples/pm-config.json --dry-run=client -o yaml

  # The same under another session name, as a JSON List
  kubectl drunc boot -f examples/boot/demo-session.yaml -n my-session --pm-config examples/pm-config.json --dry-run=client -o json

  # Read the boot file from standard input
  cat examples/boot/demo-session.yaml | kubectl drunc boot -f - --pm-config examples/pm-config.json --dry-run=client -o name`
