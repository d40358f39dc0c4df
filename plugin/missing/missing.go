// Package missing explains process names that select nothing: a typo, or a
// process whose pod is gone (killed, flushed, deleted). The cluster is the
// only truth and a gone pod leaves no object, but its events outlive it by
// about an hour, so they tell "gone" from "never there".
package missing

import (
	"context"
	"fmt"
	"regexp"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
)

// Name is a NAME argument that selected no process.
type Name struct {
	Name    string
	Session string // "" with -A
	// Events are those of pods that had this name, oldest first (literal
	// names in one session only); non-empty means the pod is gone.
	Events []*corev1.Event
}

// Gone tells whether a pod of that name existed recently.
func (n *Name) Gone() bool { return len(n.Events) > 0 }

// Message is one sentence for the user.
func (n *Name) Message(now time.Time) string {
	if n.Gone() {
		last := n.Events[len(n.Events)-1]
		return fmt.Sprintf("process %q has no pod in session %q: it is gone (last event %s ago: %s %s)",
			n.Name, n.Session, duration.HumanDuration(now.Sub(informers.EventTime(last))), last.Reason, last.Message)
	}
	if n.Session == "" {
		return fmt.Sprintf("no process matches %q in any session (see kubectl drunc ps -A)", n.Name)
	}
	return fmt.Sprintf("no process matches %q in session %q (see kubectl drunc ps -n %s)", n.Name, n.Session, n.Session)
}

// Find returns the NAME arguments of o that select no pod of the cache on
// their own (with o's other filters), nor any of standIns (the pods the
// session record holds for processes without one). For literal names in one
// session it reads the session's pod events (starting the cache's event
// informer).
func Find(ctx context.Context, c *informers.Cache, o selector.Options, standIns ...*corev1.Pod) ([]Name, error) {
	var out []Name
	for _, n := range o.Names {
		one := o
		one.Names = []string{n}
		sel, err := one.Compile(c.Keys())
		if err != nil {
			return nil, err
		}
		if len(sel.Select(c.Pods())) > 0 || len(sel.Select(standIns)) > 0 {
			continue
		}
		out = append(out, Name{Name: n, Session: c.Namespace()})
	}
	if len(out) == 0 || c.Namespace() == "" {
		return out, nil
	}
	c.StartEvents()
	if !c.EventsSynced(ctx) {
		return out, nil
	}
	for i := range out {
		if regexp.QuoteMeta(out[i].Name) == out[i].Name {
			out[i].Events = c.EventsNamed(c.Namespace(), out[i].Name)
		}
	}
	return out, nil
}
