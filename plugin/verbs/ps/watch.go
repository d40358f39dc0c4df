package ps

import (
	"context"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
)

// change is one informer notification: of a pod, or (pod nil) of the
// record of session recordOf.
type change struct {
	typ      watch.EventType
	pod      *corev1.Pod
	initial  bool // part of the informer's initial list
	recordOf string
}

// queue buffers notifications without ever blocking the informer.
type queue struct {
	mu     sync.Mutex
	items  []change
	notify chan struct{}
}

func (q *queue) push(c change) {
	q.mu.Lock()
	q.items = append(q.items, c)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *queue) take() []change {
	q.mu.Lock()
	defer q.mu.Unlock()
	items := q.items
	q.items = nil
	return items
}

// watch prints the selected processes, then one line per change, until
// ctx ends (Ctrl-C: exit 0). The informers relist and rewatch by
// themselves across watch timeouts, 410 Gone and apiserver restarts; a
// relist turns into updates, and unchanged rows are not printed again.
// The table also follows the session records (printRecordChange).
func (o *Options) watch(ctx context.Context, t *selector.Target) error {
	c := t.Cache
	q := &queue{notify: make(chan struct{}, 1)}
	reg, err := c.AddEventHandler(podHandler(q))
	if err != nil {
		return err
	}
	defer func() { _ = c.RemoveEventHandler(reg) }()
	synced := reg.HasSynced
	w := &watchPrinter{o: o, t: t, out: printers.GetNewTabWriter(o.out()), keys: c.Keys(), last: map[string]shownRow{},
		filter: statusFilter{statuses: o.Statuses, problems: o.Problems}}
	if o.Print.Human() && w.followRecord(ctx) {
		recReg, err := c.AddRecordHandler(recordHandler(q))
		if err != nil {
			return err
		}
		defer func() { _ = c.RemoveRecordHandler(recReg) }()
		synced = func() bool { return reg.HasSynced() && recReg.HasSynced() }
	}
	initial, later, ok := firstList(ctx, q, synced)
	if !ok {
		return nil
	}
	if err := w.printInitial(initial); err != nil {
		return err
	}
	for {
		for _, ch := range later {
			if err := w.printChange(ch); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-q.notify:
			later = q.take()
		}
	}
}

// firstList waits until the handlers synced and splits what they
// delivered: the pods of the initial list, and the changes after it. The
// records' initial notifications are dropped: the first table reads the
// record itself. ok is false when ctx ended first.
func firstList(ctx context.Context, q *queue, synced func() bool) (initial, later []change, ok bool) {
	for done := false; !done; {
		select {
		case <-ctx.Done():
			return nil, nil, false
		case <-q.notify:
		case <-time.After(20 * time.Millisecond):
		}
		done = synced()
		for _, ch := range q.take() {
			switch {
			case ch.initial && ch.pod != nil:
				initial = append(initial, ch)
			case !ch.initial:
				later = append(later, ch)
			}
		}
	}
	return initial, later, true
}

// podHandler queues the pod notifications.
func podHandler(q *queue) cache.ResourceEventHandler {
	return cache.ResourceEventHandlerDetailedFuncs{
		AddFunc: func(obj any, initial bool) {
			if p, ok := obj.(*corev1.Pod); ok {
				q.push(change{typ: watch.Added, pod: p, initial: initial})
			}
		},
		UpdateFunc: func(old, obj any) {
			p, ok := obj.(*corev1.Pod)
			if prev, okPrev := old.(*corev1.Pod); ok && okPrev && prev.ResourceVersion != p.ResourceVersion {
				q.push(change{typ: watch.Modified, pod: p})
			}
		},
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if p, ok := obj.(*corev1.Pod); ok {
				q.push(change{typ: watch.Deleted, pod: p})
			}
		},
	}
}

// recordHandler queues the changes of the session records' objects, by
// session: ps -w reads the record again (only the changed shard is
// decoded) and prints the rows that changed.
func recordHandler(q *queue) cache.ResourceEventHandler {
	push := func(obj any, initial bool) {
		if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = d.Obj
		}
		if cm, ok := obj.(*corev1.ConfigMap); ok {
			q.push(change{recordOf: cm.Namespace, initial: initial})
		}
	}
	return cache.ResourceEventHandlerDetailedFuncs{
		AddFunc: push,
		UpdateFunc: func(old, obj any) {
			// A relist brings every object again: only new versions count
			// (an object without one, from a fake, always does).
			prev, okPrev := old.(*corev1.ConfigMap)
			if cm, ok := obj.(*corev1.ConfigMap); ok && okPrev && (prev.ResourceVersion != cm.ResourceVersion || cm.ResourceVersion == "") {
				push(cm, false)
			}
		},
		DeleteFunc: func(obj any) { push(obj, false) },
	}
}
