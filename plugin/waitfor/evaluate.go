package waitfor

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// waiter holds what one wait has seen so far.
type waiter struct {
	c     *informers.Cache
	match func(*corev1.Pod) bool
	cond  Condition
	opts  Options

	// lastSeen is each process's latest view, by namespace/name: a process
	// that vanishes is still reported, with what it last was.
	lastSeen map[types.NamespacedName]process.View
	// snapshot is the exact pods a Deleted wait follows.
	snapshot map[types.UID]types.NamespacedName
	sawAny   bool
}

func newWaiter(c *informers.Cache, match func(*corev1.Pod) bool, cond Condition, opts Options) *waiter {
	if match == nil {
		match = func(*corev1.Pod) bool { return true }
	}
	return &waiter{c: c, match: match, cond: cond, opts: opts, lastSeen: map[types.NamespacedName]process.View{}}
}

// current returns the selected pods in the cache now, by key.
func (w *waiter) current() map[types.NamespacedName]*corev1.Pod {
	now := map[types.NamespacedName]*corev1.Pod{}
	for _, p := range w.c.Pods() {
		if w.match(p) {
			now[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}] = p
		}
	}
	for _, k := range w.opts.Expect {
		if _, ok := now[k]; !ok {
			if p := w.c.Get(k.Namespace, k.Name); p != nil {
				now[k] = p
			}
		}
	}
	return now
}

// evaluate computes the result now: done when every selected process meets
// the condition, failed when one is hopeless and the wait must fail fast.
func (w *waiter) evaluate() (res Result, done, failed bool) {
	res.Condition = w.cond
	if w.cond.Kind == Deleted {
		return w.evaluateDeleted()
	}
	now := w.current()
	keys := map[types.NamespacedName]bool{}
	for k, p := range now {
		keys[k] = true
		w.lastSeen[k] = process.FromPod(p, w.c.Keys())
		w.sawAny = true
	}
	for k := range w.lastSeen {
		keys[k] = true
	}
	for _, k := range w.opts.Expect {
		keys[k] = true
	}
	for k := range keys {
		last, seen := w.lastSeen[k]
		u := Unmet{Session: k.Namespace, Name: k.Name}
		if seen {
			u.View = &last
		}
		switch _, present := now[k]; {
		case present && w.cond.met(&last):
			res.Met = append(res.Met, last)
			continue
		case present:
			u.Hopeless = w.cond.hopeless(&last)
		case !seen: // expected, not created yet (or not in the cache yet)
		case w.cond.Kind == Dead || w.cond.met(&last):
			// Gone counts as dead; an exit seen before deletion counts.
			res.Met = append(res.Met, last)
			continue
		default:
			u.Gone, u.Hopeless = true, true
		}
		if u.Hopeless && (w.cond.Kind == Exit || !w.opts.AllowDead) {
			failed = true
		}
		res.Unmet = append(res.Unmet, u)
	}
	sortUnmet(res.Unmet)
	sortViews(res.Met)
	return res, len(res.Unmet) == 0, failed
}

// evaluateDeleted follows the pods selected at the first evaluation by UID.
func (w *waiter) evaluateDeleted() (res Result, done, failed bool) {
	res.Condition = w.cond
	if w.snapshot == nil {
		w.snapshot = map[types.UID]types.NamespacedName{}
		for k, p := range w.current() {
			w.snapshot[p.UID] = k
			w.lastSeen[k] = process.FromPod(p, w.c.Keys())
			w.sawAny = true
		}
	}
	for uid, k := range w.snapshot {
		last := w.lastSeen[k]
		if p := w.c.Get(k.Namespace, k.Name); p != nil && p.UID == uid {
			last = process.FromPod(p, w.c.Keys())
			w.lastSeen[k] = last
			res.Unmet = append(res.Unmet, Unmet{Session: k.Namespace, Name: k.Name, View: &last})
			continue
		}
		res.Met = append(res.Met, last)
	}
	sortUnmet(res.Unmet)
	sortViews(res.Met)
	return res, len(res.Unmet) == 0, false
}

// explain adds each unmet process's last event (the events informer was
// started when the wait began).
func (w *waiter) explain(res *Result) {
	for i := range res.Unmet {
		u := &res.Unmet[i]
		if u.View == nil {
			continue
		}
		if ev := w.c.LastEvent(u.View.UID); ev != nil {
			u.Event = fmt.Sprintf("%s: %s", ev.Reason, ev.Message)
		}
	}
}

func sortViews(v []process.View) {
	process.SortTree(v)
}
