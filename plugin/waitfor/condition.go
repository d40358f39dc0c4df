// Package waitfor waits, on the shared informer cache, until selected
// processes meet a condition — ready, running, dead, deleted or exited with
// a code — and explains per process why not when it gives up. boot --wait,
// wait, kill and restart all wait through it; nothing here polls the API.
package waitfor

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// Kind is what a condition asks of a process.
type Kind int

const (
	// Ready: running and its pod is Ready.
	Ready Kind = iota
	// Running: its container runs (ready or not).
	Running
	// Dead: it exited (any code) or its pod is gone.
	Dead
	// Deleted: its pod (this very pod, by UID) is gone from the cluster.
	Deleted
	// Exit: it exited with Condition.Code.
	Exit
)

// Condition is a parsed --for value.
type Condition struct {
	Kind Kind
	Code int32 // for Exit
}

// Parse reads --for: ready, running, dead, deleted or exit=N.
func Parse(s string) (Condition, error) {
	switch s {
	case "ready":
		return Condition{Kind: Ready}, nil
	case "running":
		return Condition{Kind: Running}, nil
	case "dead":
		return Condition{Kind: Dead}, nil
	case "deleted", "delete":
		return Condition{Kind: Deleted}, nil
	}
	if rest, ok := strings.CutPrefix(s, "exit="); ok {
		n, err := strconv.ParseInt(rest, 10, 32)
		// -1 is what ps shows for a process killed while it ran.
		if err != nil || n < -1 || n > 255 {
			return Condition{}, fmt.Errorf("--for=%s: the exit code must be a number from 0 to 255, or -1 (killed while it ran)", s)
		}
		return Condition{Kind: Exit, Code: int32(n)}, nil
	}
	return Condition{}, fmt.Errorf("--for=%q is not a condition; use ready, running, dead, deleted or exit=N", s)
}

func (c Condition) String() string {
	switch c.Kind {
	case Ready:
		return "ready"
	case Running:
		return "running"
	case Dead:
		return "dead"
	case Deleted:
		return "deleted"
	}
	return fmt.Sprintf("exit=%d", c.Code)
}

// goal is the condition as a verb phrase for messages: "be ready", "exit
// with code 3".
func (c Condition) goal() string {
	if c.Kind == Exit {
		return fmt.Sprintf("exit with code %d", c.Code)
	}
	return "be " + c.String()
}

// state is the condition as a state: "ready", "exited with code 3".
func (c Condition) state() string {
	if c.Kind == Exit {
		return fmt.Sprintf("exited with code %d", c.Code)
	}
	return c.String()
}

// met tells whether a present process meets the condition (Deleted is
// decided by absence, elsewhere).
func (c Condition) met(v *process.View) bool {
	switch c.Kind {
	case Ready:
		return v.State == process.Running && v.Ready
	case Running:
		return v.State == process.Running
	case Dead:
		return v.State == process.Dead
	case Exit:
		return v.State == process.Dead && v.Exit != nil && *v.Exit == c.Code
	}
	return false
}

// hopeless tells whether a present process can no longer meet the
// condition by itself: it died while we wait for ready or running, or it
// exited with another code.
func (c Condition) hopeless(v *process.View) bool {
	switch c.Kind {
	case Ready, Running:
		return v.State == process.Dead
	case Exit:
		return v.State == process.Dead && (v.Exit == nil || *v.Exit != c.Code)
	}
	return false
}
