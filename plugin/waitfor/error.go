package waitfor

import (
	"fmt"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// Reason says why a wait failed.
type Reason string

const (
	Timeout     Reason = "timeout"
	Interrupted Reason = "interrupted"
	Died        Reason = "died"
	Empty       Reason = "empty"
)

// Error is a failed wait, with the state of every process that did not
// meet the condition.
type Error struct {
	Reason Reason
	Result Result
}

func (e *Error) Error() string {
	r := e.Result
	total := len(r.Met) + len(r.Unmet)
	var b strings.Builder
	switch e.Reason {
	case Empty:
		return "no process matches the selection (check -n/-A, the name patterns and filters with `kubectl drunc ps`)"
	case Died:
		var hopeless, waiting []Unmet
		for _, u := range r.Unmet {
			if u.Hopeless {
				hopeless = append(hopeless, u)
			} else {
				waiting = append(waiting, u)
			}
		}
		fmt.Fprintf(&b, "%d of %d processes can no longer %s:", len(hopeless), total, r.Condition.goal())
		writeUnmet(&b, hopeless)
		// The wait stopped early: the others not there yet are part of the answer.
		if len(waiting) > 0 {
			fmt.Fprintf(&b, "\nand %d not %s yet:", len(waiting), r.Condition.state())
			writeUnmet(&b, waiting)
		}
		return b.String()
	case Interrupted:
		fmt.Fprintf(&b, "interrupted while waiting for %d of %d processes to %s:", len(r.Unmet), total, r.Condition.goal())
	default:
		fmt.Fprintf(&b, "timed out waiting for %d of %d processes to %s:", len(r.Unmet), total, r.Condition.goal())
	}
	writeUnmet(&b, r.Unmet)
	return b.String()
}

func writeUnmet(b *strings.Builder, us []Unmet) {
	for _, u := range us {
		fmt.Fprintf(b, "\n  %s/%s: %s", u.Session, u.Name, u.Why())
	}
}

// Why explains the process's state in one line: status, exit code,
// restarts, the scheduler's or kubelet's message, the last event.
func (u *Unmet) Why() string {
	if u.View == nil {
		return "not created"
	}
	v := u.View
	var parts []string
	status := v.Status
	if u.Gone {
		status = "deleted (last status " + status + ")"
	}
	parts = append(parts, status)
	if v.Exit != nil {
		parts = append(parts, fmt.Sprintf("exit code %d", *v.Exit))
	}
	if v.Restarts > 0 {
		parts = append(parts, fmt.Sprintf("%d restarts", v.Restarts))
	}
	if msg := process.Message(v.Pod); msg != "" {
		parts = append(parts, msg)
	}
	if u.Event != "" {
		parts = append(parts, "last event "+u.Event)
	}
	return strings.Join(parts, "; ")
}
