package status

// longHelp is the reference of the screen, the exit codes and the schema.
const longHelp = `Say whether a session is healthy and, if not, what is wrong, from one read
of the shared informer cache (pods, plus the hosts' Node objects and the
pods' Warning events).

A process is healthy when it is Ready. Every other process is a problem,
listed first, worst first, on its own line: its host, state, exit code,
restarts (and when last, as kubectl shows RESTARTS) and the reason (its
container's state, the pod condition that fails, the host's state, and the
last Warning event). Then come the hosts that have problems (Lost,
NotReady, Cordoned, Tainted with NoSchedule or NoExecute, Unknown: no such
node, or a pressure condition), the Ready processes that restarted, and
the counts by state and by role.

States, worst first:
  NodeLost       its host stopped reporting
  Exited         its container terminated (counted per exit code: Exited(3))
  Failed         the pod failed without an exit code (e.g. Evicted)
  Unschedulable  the scheduler found no node for it
  NotReady       running, not ready
  Pending        not running yet (scheduling, pulling, creating)
  Terminating    being deleted
  Ready          running and ready
In a session booted by kubectl drunc, its record also gives the processes
without a pod (until flush forgets them):
  Killed         killed by kubectl drunc kill (restart brings it back)
  Lost           its pod went another way (kubectl delete pod, a lost node)

With -A, one line per session, including a session whose every process was
killed (found by its record). NAME-REGEX arguments, --user, --uuid, --role
and -l narrow the processes as in ps.

Exit code: 0 when every selected process is Ready, 1 when some are not
(or none is found in an existing session), 2 on an error (bad flags, an
unknown session, the cluster unreachable or refusing). Unlike the other
verbs, which exit 1 for an unknown session, status exits 2 for it: 1 means
unhealthy. An unhealthy session exits 1 without an error line: the screen
(or the JSON's healthy: false) says it.

-o json and -o yaml print the schema drunc.daq/v1, kind SessionStatus:
  healthy          every process of every session is Ready
  hostsChecked     false when nodes could not be read (RBAC)
  sessions[]       name, healthy, processes, ready,
    states[]       state, exitCode (Exited only), count
    roles[]        role, processes, ready
    problems[]     name, role, host, state, status (ps STATUS), exitCode,
                   reason, message, lastWarning {reason, message, time,
                   count}, restarts, lastRestart, lastExitCode, uuid
    restarted[]    the same, for Ready processes that restarted
    hosts[]        name, problems[], message, processes
Lists are [] when empty: with nothing selected, sessions is [] and
healthy false (exit 1). Fields may be added within drunc.daq/v1, never
renamed or removed.`
