package changes

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// Config says which records Stream emits.
type Config struct {
	// Matches selects processes by their pod; nil selects all.
	Matches func(*corev1.Pod) bool
	// MatchesName selects the process of an event whose pod was gone
	// before the stream started (no pod to match); nil selects all.
	MatchesName func(name string) bool
	// Types keeps records of these types (Normal, Warning); empty keeps all.
	Types []string
	// Watch keeps streaming changes after the records of the start.
	Watch bool
	// Now dates live changes (tests fix it); nil is time.Now.
	Now func() time.Time
	// Listed, if set, is called once the records of the start are
	// emitted (a printer aligns them, then prints changes one by one).
	Listed func() error
}

func (cfg *Config) keep(r *Record, pod *corev1.Pod) bool {
	if len(cfg.Types) > 0 && !slices.Contains(cfg.Types, r.Type) {
		return false
	}
	if pod != nil {
		return cfg.Matches == nil || cfg.Matches(pod)
	}
	return cfg.MatchesName == nil || cfg.MatchesName(r.Process)
}

// Stream emits, oldest first, the state every selected process is in and
// the Kubernetes events of drunc pods the cluster still holds; with Watch,
// then every change as it happens, until ctx ends (nil is returned then).
// It reads the cache's pod informer and its events informer (started here).
func Stream(ctx context.Context, c *informers.Cache, cfg Config, emit func(Record) error) error {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c.StartEvents()
	if err := c.WaitEvents(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	q := &queue{notify: make(chan struct{}, 1)}
	podReg, err := c.AddEventHandler(q.handler(false))
	if err != nil {
		return err
	}
	defer func() { _ = c.RemoveEventHandler(podReg) }()
	evReg, err := c.AddEventsHandler(q.handler(true))
	if err != nil {
		return err
	}
	defer func() { _ = c.RemoveEventsHandler(evReg) }()
	if !cache.WaitForCacheSync(ctx.Done(), podReg.HasSynced, evReg.HasSynced) {
		return nil // ctx ended
	}
	t := NewTracker(c.Keys())
	if err := emitInitial(t, q.take(), &cfg, emit); err != nil {
		return err
	}
	if cfg.Listed != nil {
		if err := cfg.Listed(); err != nil {
			return err
		}
	}
	if !cfg.Watch {
		return nil
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-q.notify:
		}
		for _, n := range q.take() {
			r, pod, ok := live(t, n, cfg.Now())
			if ok && cfg.keep(&r, pod) {
				if err := emit(r); err != nil {
					return err
				}
			}
		}
	}
}

// emitInitial emits what was there at the start, oldest first: pods first
// into the tracker, so events can name their processes.
func emitInitial(t *Tracker, ns []notification, cfg *Config, emit func(Record) error) error {
	type rec struct {
		r   Record
		pod *corev1.Pod
	}
	var out []rec
	var events []*corev1.Event
	// A pod updated or deleted before the start was over counts as it ended.
	pods := map[types.UID]*corev1.Pod{}
	var order []types.UID
	for _, n := range ns {
		switch {
		case n.event != nil:
			events = append(events, n.event)
		case n.typ == deleted:
			delete(pods, n.pod.UID)
		default:
			if _, ok := pods[n.pod.UID]; !ok {
				order = append(order, n.pod.UID)
			}
			pods[n.pod.UID] = n.pod
		}
	}
	for _, uid := range order {
		if pod := pods[uid]; pod != nil {
			out = append(out, rec{t.Found(pod), pod})
		}
	}
	for _, ev := range events {
		if r, pod, ok := t.Event(ev); ok {
			// The tracker knows the STATUS now, not when this event happened.
			r.From, r.To, r.ExitCode = "", "", nil
			out = append(out, rec{r, pod})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].r.Time.Before(&out[j].r.Time) })
	for i := range out {
		if cfg.keep(&out[i].r, out[i].pod) {
			if err := emit(out[i].r); err != nil {
				return err
			}
		}
	}
	return nil
}

// live turns one notification into a record.
func live(t *Tracker, n notification, now time.Time) (Record, *corev1.Pod, bool) {
	switch {
	case n.event != nil:
		return t.Event(n.event)
	case n.typ == deleted:
		return t.Gone(n.pod, now), n.pod, true
	}
	r, ok := t.Pod(n.pod, now)
	return r, n.pod, ok
}

type notificationType int

const (
	added notificationType = iota
	updated
	deleted
)

// notification is one informer callback, of a pod or of an event.
type notification struct {
	typ   notificationType
	pod   *corev1.Pod
	event *corev1.Event
}

// queue buffers notifications without ever blocking an informer.
type queue struct {
	mu     sync.Mutex
	items  []notification
	notify chan struct{}
}

func (q *queue) push(n notification) {
	q.mu.Lock()
	q.items = append(q.items, n)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *queue) take() []notification {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

// handler pushes pod (or event) notifications. An event updated without a
// new occurrence (same count and time) is no change.
func (q *queue) handler(events bool) cache.ResourceEventHandler {
	wrap := func(typ notificationType, obj any) {
		if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = d.Obj
		}
		switch o := obj.(type) {
		case *corev1.Pod:
			q.push(notification{typ: typ, pod: o})
		case *corev1.Event:
			if typ != deleted { // events expire: that is no change of a process
				q.push(notification{typ: typ, event: o})
			}
		}
	}
	return cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) { wrap(added, obj) },
		UpdateFunc: func(old, obj any) {
			if events {
				o, n := old.(*corev1.Event), obj.(*corev1.Event)
				if o.Count == n.Count && informers.EventTime(o).Equal(informers.EventTime(n)) {
					return
				}
			}
			wrap(updated, obj)
		},
		DeleteFunc: func(obj any) { wrap(deleted, obj) },
	}
}
