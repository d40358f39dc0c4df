package bootexec

import (
	"fmt"
	"strings"
)

// SessionExistsError: the session namespace exists and is live.
type SessionExistsError struct{ Session string }

func (e *SessionExistsError) Error() string {
	return fmt.Sprintf("session %q already exists; choose another name or run kubectl drunc terminate -n %s", e.Session, e.Session)
}

// NotReadyError: the run ended with processes that are not Ready (or it
// was interrupted). Result has the details; the summary table shows them.
type NotReadyError struct{ Result *Result }

func (e *NotReadyError) Error() string {
	r := e.Result
	bad := len(r.NotReady())
	var b strings.Builder
	switch {
	case r.Interrupted:
		fmt.Fprintf(&b, "boot of session %q interrupted: %d of %d processes not ready", r.Session, bad, len(r.Processes))
	default:
		fmt.Fprintf(&b, "session %q: %d of %d processes not ready", r.Session, bad, len(r.Processes))
	}
	if r.Blocked != "" {
		fmt.Fprintf(&b, " (%s)", r.Blocked)
	}
	switch {
	case r.EmptyRemoved:
		fmt.Fprintf(&b, "; no process was created, so the session namespace was deleted again")
	case r.RolledBack && r.NamespaceDeleted:
		fmt.Fprintf(&b, "; rolled back: the session namespace was deleted")
	case r.RolledBack:
		fmt.Fprintf(&b, "; rolled back: what this boot created was deleted")
	case r.SessionDeleted:
		// The namespace takes every process with it: nothing to advise.
	case r.Count(Created)+r.Count(Ready) > 0:
		fmt.Fprintf(&b, "; the created processes are left running (see kubectl drunc ps -n %s; kubectl drunc terminate -n %s removes them, --rollback does it on failure)", r.Session, r.Session)
	}
	return b.String()
}
