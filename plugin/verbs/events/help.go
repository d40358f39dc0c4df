package events

// longHelp is the reference of the records and their JSON schema.
const longHelp = `List the changes of the selected processes, oldest first, then with -w
stream each change as it happens (until Ctrl-C, or until the session of
-n is gone, terminated; exit 0). A record is
either a state change of a process, seen by the shared informer (its
STATUS as ps shows it, old → new, with the exit code, restarts and the
reason and message of the pod's status), or a Kubernetes event about its
pod (reason, message, count). Without -w, the records are the state each
process is in (dated when it entered it) and the events the cluster still
holds (about an hour).

A record's type is Warning when the process needs attention (exited with a
non-zero code, failed, lost its node, unschedulable, back-off, ready → not
ready, restarted) or the event is a Warning; else Normal. --types Warning
keeps those only; --for NAME-REGEX keeps the processes whose name matches
(repeatable), as do --user, --uuid, --role and -l. Events of a pod gone
before the command started are shown in the sessions it watches, selected
by --for only.

-o json prints one object per line (schema drunc.daq/v1, kind
ProcessChange), for alerting and log shippers:
  time       RFC 3339 (when it happened, or was observed live)
  type       Normal or Warning
  source     pod (a state change) or event (a Kubernetes event)
  session, process, uuid
  from, to   the STATUS before and after; from is absent for a process
             first seen, to is "Deleted" when its pod is gone; an event
             seen live carries the STATUS then in both, one from before
             the command started carries none (to is "")
  exitCode   once the process exited
  restarts   container restarts
  reason, message, count (events)
Fields may be added within drunc.daq/v1, never renamed or removed.`
