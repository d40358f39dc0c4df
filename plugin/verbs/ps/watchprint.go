package ps

import (
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

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
	// last is what was printed per process (processID), to skip
	// notifications that change nothing shown (resyncs after a relist,
	// status heartbeats).
	last map[string]shownRow
	// filter is --status/--problems: a process is followed while it
	// matches, and its line that leaves the filter is printed.
	filter statusFilter
	// record is what the watch follows of the session records.
	record recordFollow
}

// shownRow is the last line printed for a process.
type shownRow struct {
	key string
	// recorded is the row when it came from the session record (Killed,
	// Lost), nil when it is a pod's.
	recorded *process.View
}

// processID names a process across its pods: a restarted process is one
// row, whatever its pod.
func processID(v *process.View) string { return v.Session + "/" + v.Name }

// StatusDeleted is the STATUS of the last line of a process whose pod was
// deleted (killed, flushed, or deleted by anyone), or whose recorded row
// lost its record.
const StatusDeleted = "Deleted"

func (w *watchPrinter) tableOptions() dprinters.TableOptions {
	o := w.o.tableOptions()
	o.WithRestarts = true // a process may restart during the watch
	return o
}

// printInitial prints the first table: the pods of the informer's first
// list and, when the records are followed, the Killed and Lost processes
// they keep, as ps shows them.
func (w *watchPrinter) printInitial(changes []change) error {
	pods := make([]*corev1.Pod, len(changes))
	for i, ch := range changes {
		pods[i] = ch.pod
	}
	var gones []selector.RecordedProcess
	if w.record.on {
		gones = w.initialRecorded(pods)
	}
	fromRecord := make(map[*corev1.Pod]bool, len(gones))
	for i := range gones {
		fromRecord[gones[i].Recorded] = true
	}
	// Ranked in the whole session's order, so a filter keeps it.
	views := w.filter.apply(selector.Merged(pods, gones, w.keys, w.o.Select.Selector.Matches))
	for i := range views {
		row := shownRow{key: rowKey(&views[i])}
		if fromRecord[views[i].Pod] {
			c := views[i]
			row.recorded = &c
		}
		w.last[processID(&views[i])] = row
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

// printChange prints what one notification changed: a pod's row, or the
// rows of a session whose record changed.
func (w *watchPrinter) printChange(ch change) error {
	if ch.pod == nil {
		return w.printRecordChange(ch.recordOf)
	}
	if ch.typ == watch.Deleted && w.record.on {
		w.record.gone[ch.pod.UID] = true
	}
	if !w.o.Select.Selector.Matches(ch.pod) {
		return nil
	}
	v := process.FromPod(ch.pod, w.keys)
	typ := ch.typ
	switch prev, shown := w.last[processID(&v)]; {
	case typ == watch.Deleted:
		v.Status = StatusDeleted // its last state is not what it is now
	case shown && prev.recorded != nil:
		typ = watch.Modified // shown Killed or Lost, it has a pod again
	}
	if err := w.show(typ, &v, typ == watch.Deleted, false); err != nil {
		return err
	}
	if typ == watch.Deleted {
		return w.afterDeletion(ch.pod)
	}
	return nil
}

// show prints v's line, unless it repeats the process's last one. A final
// line, or one that leaves --status/--problems, is the process's last;
// fromRecord says v is a row from the session record.
func (w *watchPrinter) show(typ watch.EventType, v *process.View, final, fromRecord bool) error {
	id, key := processID(v), rowKey(v)
	prev, shown := w.last[id]
	switch {
	case !w.filter.keeps(v.Status) && !shown:
		return nil // never matched the filter: not followed
	case final, !w.filter.keeps(v.Status):
		delete(w.last, id) // its last line
	case shown && prev.key == key && w.o.Print.Human():
		return nil
	default:
		row := shownRow{key: key}
		if fromRecord {
			c := *v
			row.recorded = &c
		}
		w.last[id] = row
	}
	if w.o.Print.Human() {
		return w.print(typ, dprinters.TableOf([]process.View{*v}, w.tableOptions()))
	}
	return w.print(typ, dprinters.Typed(v.Pod))
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
