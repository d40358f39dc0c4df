package waitfor

import (
	"context"
	"errors"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// Options tune a wait.
type Options struct {
	// Expect names processes that must exist and meet the condition even if
	// the cache has not seen them yet (boot waits for pods it just created).
	Expect []types.NamespacedName
	// AllowDead keeps waiting for ready/running when a process dies (it may
	// be restarted) instead of failing at once.
	AllowDead bool
	// AllowEmpty makes an empty selection a success instead of an error.
	AllowEmpty bool
	// Recorded are selected processes without a pod that the session
	// record keeps (killed, lost), as ps shows them (State Dead): they meet
	// dead and deleted at once, exit=N when it is their recorded code, and
	// can no longer be ready or running unless a pod of theirs appears (a
	// restart), which AllowDead waits for.
	Recorded []process.View
	// OnProgress, if set, is called after every evaluation that changed the
	// counts (boot's progress line). It runs on the waiting goroutine.
	OnProgress func(Progress)
}

// Progress counts processes meeting the condition.
type Progress struct{ Met, Total int }

// Result is the final state of the selected processes.
type Result struct {
	Condition Condition
	Met       []process.View
	// Unmet are those that did not meet the condition, with why.
	Unmet []Unmet
}

// Unmet is a process that did not meet the condition.
type Unmet struct {
	Session, Name string
	// View is the last seen state; nil if the pod never appeared.
	View *process.View
	// Gone: the pod was deleted (or never created).
	Gone bool
	// Hopeless: it cannot meet the condition any more (died, wrong exit).
	Hopeless bool
	// Event is the last event about the pod, "Reason: message", if known.
	Event string
}

// Until waits until every pod of the cache selected by match (plus
// opts.Expect) meets cond, and returns the final Result. Errors are *Error:
// Timeout when ctx ends first, Died when a process can no longer meet the
// condition (fail fast; AllowDead disables it for ready/running), Empty
// when nothing is selected (unless AllowEmpty).
//
// Processes are followed by namespace/name, so a process restarted under
// the same name counts as the same process; Deleted alone follows the
// exact pods (by UID) selected when the wait starts.
func Until(ctx context.Context, c *informers.Cache, match func(*corev1.Pod) bool, cond Condition, opts Options) (Result, error) {
	c.StartEvents()
	w := newWaiter(c, match, cond, opts)
	reg, err := c.AddEventHandler(w.dirty.handler())
	if err != nil {
		return Result{Condition: cond}, err
	}
	defer func() { _ = c.RemoveEventHandler(reg) }()

	last := Progress{Met: -1}
	for {
		p, done, failed := w.evaluate()
		if opts.OnProgress != nil && p != last {
			opts.OnProgress(p)
			last = p
		}
		switch {
		case failed:
			res := w.result()
			w.explain(&res)
			return res, &Error{Reason: Died, Result: res}
		case done && p.Met == 0 && len(opts.Expect) == 0 && !w.sawAny:
			if opts.AllowEmpty {
				return w.result(), nil
			}
			res := w.result()
			return res, &Error{Reason: Empty, Result: res}
		case done:
			return w.result(), nil
		}
		select {
		case <-ctx.Done():
			reason := Timeout
			if !errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
				reason = Interrupted
			}
			res := w.result()
			w.explain(&res)
			return res, &Error{Reason: reason, Result: res}
		case <-w.dirty.poke:
		}
	}
}

// Gone waits until these exact pods (by UID) are deleted: kill's stages.
func Gone(ctx context.Context, c *informers.Cache, pods []*corev1.Pod) (Result, error) {
	uids := make(map[types.UID]bool, len(pods))
	for _, p := range pods {
		uids[p.UID] = true
	}
	return Until(ctx, c, func(p *corev1.Pod) bool { return uids[p.UID] },
		Condition{Kind: Deleted}, Options{AllowEmpty: true})
}

// sortUnmet orders the explanation by session and name.
func sortUnmet(u []Unmet) {
	sort.Slice(u, func(i, j int) bool {
		if u[i].Session != u[j].Session {
			return u[i].Session < u[j].Session
		}
		return u[i].Name < u[j].Name
	})
}
