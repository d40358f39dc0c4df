package ps

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// change is one informer notification.
type change struct {
	typ     watch.EventType
	pod     *corev1.Pod
	initial bool // part of the informer's initial list
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
// ctx ends (Ctrl-C: exit 0). The informer relists and rewatches by itself
// across watch timeouts, 410 Gone and apiserver restarts; a relist turns
// into updates, and unchanged rows are not printed again.
func (o *Options) watch(ctx context.Context, t *selector.Target) error {
	c := t.Cache
	q := &queue{notify: make(chan struct{}, 1)}
	reg, err := c.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
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
	})
	if err != nil {
		return err
	}
	defer func() { _ = c.RemoveEventHandler(reg) }()

	w := &watchPrinter{o: o, t: t, out: printers.GetNewTabWriter(o.out()), keys: c.Keys(), last: map[types.UID]string{},
		filter: statusFilter{statuses: o.Statuses, problems: o.Problems}}
	// The initial list: every Add delivered before the registration synced.
	var initial, later []change
	for synced := false; !synced; {
		select {
		case <-ctx.Done():
			return nil
		case <-q.notify:
		case <-time.After(20 * time.Millisecond):
		}
		synced = reg.HasSynced()
		for _, ch := range q.take() {
			if ch.initial {
				initial = append(initial, ch)
			} else {
				later = append(later, ch)
			}
		}
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

// watchPrinter prints the rows of a watch through one tab writer, so the
// columns stay aligned with the header as long as cells fit.
type watchPrinter struct {
	o   *Options
	t   *selector.Target
	out interface {
		io.Writer
		Flush() error
	}
	keys session.LabelKeys
	// last is what was printed per pod, to skip notifications that change
	// nothing shown (resyncs after a relist, status heartbeats).
	last map[types.UID]string
	// filter is --status/--problems: a process is followed while it
	// matches, and its line that leaves the filter is printed.
	filter statusFilter
}

// StatusDeleted is the STATUS of the last line of a process whose pod was
// deleted (killed, flushed, or deleted by anyone).
const StatusDeleted = "Deleted"

func (w *watchPrinter) tableOptions() dprinters.TableOptions {
	o := w.o.tableOptions()
	o.WithRestarts = true // a process may restart during the watch
	return o
}

func (w *watchPrinter) printInitial(changes []change) error {
	pods := make([]*corev1.Pod, len(changes))
	for i, ch := range changes {
		pods[i] = ch.pod
	}
	// Ranked in the whole session's order, so a filter keeps it.
	views := w.filter.apply(process.Selected(pods, w.keys, w.o.Select.Selector.Matches))
	for i := range views {
		w.last[views[i].UID] = rowKey(&views[i])
	}
	if len(views) == 0 {
		fmt.Fprintln(w.o.f.Streams.ErrOut, w.t.NoneFound())
		return nil
	}
	if w.o.Print.Human() {
		return w.print(watch.Added, dprinters.TableOf(views, w.tableOptions()))
	}
	for _, obj := range dprinters.ListOf(views).Items {
		if err := w.print(watch.Added, obj.Object); err != nil {
			return err
		}
	}
	return nil
}

func (w *watchPrinter) printChange(ch change) error {
	if !w.o.Select.Selector.Matches(ch.pod) {
		return nil
	}
	v := process.FromPod(ch.pod, w.keys)
	if ch.typ == watch.Deleted {
		v.Status = StatusDeleted // its last state is not what it is now
	}
	key := rowKey(&v)
	prev, shown := w.last[v.UID]
	switch {
	case !w.filter.keeps(v.Status) && !shown:
		return nil // never matched the filter: not followed
	case ch.typ == watch.Deleted, !w.filter.keeps(v.Status):
		delete(w.last, v.UID) // its last line
	case prev == key && w.o.Print.Human():
		return nil
	default:
		w.last[v.UID] = key
	}
	if w.o.Print.Human() {
		return w.print(ch.typ, dprinters.TableOf([]process.View{v}, w.tableOptions()))
	}
	return w.print(ch.typ, dprinters.Typed(v.Pod))
}

// print writes one object (wrapped as a watch event with
// --output-watch-events, as kubectl does) and flushes it at once.
func (w *watchPrinter) print(typ watch.EventType, obj runtime.Object) error {
	if w.o.WatchEvents {
		obj = &metav1.WatchEvent{Type: string(typ), Object: runtime.RawExtension{Object: obj}}
	}
	if err := w.o.printer.PrintObj(obj, w.out); err != nil {
		return err
	}
	return w.out.Flush()
}

// rowKey is what a row shows, but its age.
func rowKey(v *process.View) string {
	exit := "-"
	if v.Exit != nil {
		exit = fmt.Sprint(*v.Exit)
	}
	return fmt.Sprint(v.Name, v.Role, v.Host, v.Status, exit, v.Restarts, v.UUID, v.TreeID, v.User, v.IP, v.Executable, v.Pod.Labels)
}
