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

	// entries are the followed processes, by namespace/name: a process
	// that vanishes is still reported, with what it last was. met and
	// stuck count those met and those hopeless (failing the wait).
	entries    map[types.NamespacedName]*entry
	expected   map[types.NamespacedName]bool
	recorded   map[types.NamespacedName]process.View
	met, stuck int
	dirty      *dirtyKeys
	scanned    bool

	// lastSeen and snapshot: the exact pods a Deleted wait follows.
	lastSeen map[types.NamespacedName]process.View
	snapshot map[types.UID]types.NamespacedName
	deleted  Result // the last evaluation of a Deleted wait
	sawAny   bool
}

func newWaiter(c *informers.Cache, match func(*corev1.Pod) bool, cond Condition, opts Options) *waiter {
	if match == nil {
		match = func(*corev1.Pod) bool { return true }
	}
	w := &waiter{c: c, match: match, cond: cond, opts: opts, lastSeen: map[types.NamespacedName]process.View{},
		entries: map[types.NamespacedName]*entry{}, expected: map[types.NamespacedName]bool{}, dirty: newDirtyKeys(),
		recorded: map[types.NamespacedName]process.View{}}
	for _, k := range opts.Expect {
		w.expected[k] = true
	}
	for _, v := range opts.Recorded {
		k := types.NamespacedName{Namespace: v.Session, Name: v.Name}
		w.recorded[k], w.expected[k] = v, true
	}
	return w
}

// current returns the selected pods in the cache now, by key.
func (w *waiter) current() map[types.NamespacedName]*corev1.Pod {
	now := map[types.NamespacedName]*corev1.Pod{}
	for _, p := range w.c.Pods() {
		if w.match(p) {
			now[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}] = p
		}
	}
	for k := range w.expected {
		if _, ok := now[k]; !ok {
			if p := w.c.Get(k.Namespace, k.Name); p != nil {
				now[k] = p
			}
		}
	}
	return now
}

// evaluate brings the counts up to date: the first time from the whole
// cache, then only for the processes whose pod changed since (one lookup
// each). done when every followed process meets the condition, failed when
// one is hopeless and the wait must fail fast.
func (w *waiter) evaluate() (p Progress, done, failed bool) {
	if w.cond.Kind == Deleted {
		w.deleted, done, failed = w.evaluateDeleted()
		return Progress{Met: len(w.deleted.Met), Total: len(w.deleted.Met) + len(w.deleted.Unmet)}, done, failed
	}
	if !w.scanned {
		w.scanned = true
		w.dirty.take() // the scan covers what happened so far
		now := w.current()
		for k, pod := range now {
			w.update(k, pod)
		}
		for k := range w.expected {
			if now[k] == nil {
				w.update(k, nil)
			}
		}
	} else {
		for k := range w.dirty.take() {
			pod := w.c.Get(k.Namespace, k.Name)
			if pod != nil && !w.match(pod) && !w.expected[k] {
				pod = nil
			}
			w.update(k, pod)
		}
	}
	p = Progress{Met: w.met, Total: len(w.entries)}
	return p, w.met == len(w.entries), w.stuck > 0
}

// update records the process k's pod now (nil: none selected) and
// reclassifies it, as the whole evaluation did: present and met; present
// and unmet (hopeless when it can no longer meet it); expected but never
// seen; gone, which counts as met for dead (or when it met the condition
// before deletion) and is hopeless otherwise.
func (w *waiter) update(k types.NamespacedName, pod *corev1.Pod) {
	e := w.entries[k]
	if e == nil {
		if pod == nil && !w.expected[k] {
			return // never followed: nothing changes
		}
		e = &entry{}
		w.entries[k] = e
	}
	w.count(e, -1)
	e.present = pod != nil
	if pod != nil {
		e.view, e.seen, e.recorded = process.FromPod(pod, w.c.Keys()), true, false
		w.sawAny = true
	} else if v, ok := w.recorded[k]; ok && !e.seen {
		// Dead already: classified below as a pod seen going.
		e.view, e.seen, e.recorded = v, true, true
		w.sawAny = true
	}
	e.met, e.hopeless = false, false
	switch {
	case e.present:
		e.met = w.cond.met(&e.view)
		e.hopeless = !e.met && w.cond.hopeless(&e.view)
	case !e.seen: // expected, not created yet (or not in the cache yet)
	case w.cond.Kind == Dead || w.cond.met(&e.view):
		e.met = true
	default:
		e.hopeless = true
	}
	w.count(e, +1)
}

// count adds d to the counters e falls in.
func (w *waiter) count(e *entry, d int) {
	if e.met {
		w.met += d
	}
	if e.hopeless && (w.cond.Kind == Exit || !w.opts.AllowDead) {
		w.stuck += d
	}
}

// result is the Result now, sorted: built only when the wait ends.
func (w *waiter) result() Result {
	if w.cond.Kind == Deleted {
		return w.deleted
	}
	res := Result{Condition: w.cond}
	for k, e := range w.entries {
		if e.met {
			res.Met = append(res.Met, e.view)
			continue
		}
		u := Unmet{Session: k.Namespace, Name: k.Name, Hopeless: e.hopeless, Gone: e.seen && !e.present && !e.recorded}
		if e.seen {
			v := e.view
			u.View = &v
		}
		res.Unmet = append(res.Unmet, u)
	}
	sortUnmet(res.Unmet)
	sortViews(res.Met)
	return res
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
	for k, v := range w.recorded {
		if _, followed := w.lastSeen[k]; !followed {
			res.Met = append(res.Met, v)
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
