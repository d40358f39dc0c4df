package ps

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apierror"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// StatusFlushed is the STATUS of the last line of a process shown Killed
// or Lost that flush made the record forget.
const StatusFlushed = "Flushed"

// recordFollow is what ps -w knows of the session records it follows
// (sessions booted by kubectl drunc; the others have none).
type recordFollow struct {
	on bool
	// gone are the pods whose deletion the watch printed, or that were
	// already gone when it started: a Booted entry without a pod shows
	// Lost only when its pod is one of them. The records and the pods are
	// two watches: a restarted process's new pod is recorded before that
	// pod may reach this one, and must not show Lost meanwhile.
	gone map[types.UID]bool
	// warned: an unreadable record is reported once.
	warned bool
}

// followRecord waits for the record informer's first list (started with
// the pods). Without it (configmaps cannot be listed), ps -w warns and
// follows the pods only.
func (w *watchPrinter) followRecord(ctx context.Context) bool {
	if err := w.t.Cache.RecordSynced(ctx); err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(w.o.f.Streams.ErrOut, "Warning: killed and lost processes are not shown, only pods: %s\n", apierror.Message(err))
		}
		return false
	}
	w.record = recordFollow{on: true, gone: map[types.UID]bool{}}
	return true
}

// initialRecorded are the Killed and Lost rows of the first table, from
// the records as listed and the pods of the informer's first list.
func (w *watchPrinter) initialRecorded(pods []*corev1.Pod) []selector.RecordedProcess {
	bySession := map[string][]*corev1.Pod{}
	for _, p := range pods {
		bySession[p.Namespace] = append(bySession[p.Namespace], p)
	}
	sessions := []string{w.o.Select.Namespace}
	if w.o.Select.Namespace == "" {
		sessions = w.t.Cache.RecordSessions()
	}
	var out []selector.RecordedProcess
	for _, s := range sessions {
		found := w.recorded(s, bySession[s])
		for i := range found {
			if found[i].Class == sessionrecord.ClassLost {
				w.record.gone[found[i].Entry.PodUID] = true
			}
		}
		out = append(out, found...)
	}
	return out
}

// recorded are a session's Killed and Lost processes that the selection
// matches; an unreadable record is a warning (once) and gives none.
func (w *watchPrinter) recorded(sessionName string, pods []*corev1.Pod) []selector.RecordedProcess {
	rec, err := w.t.Record(sessionName)
	var found []selector.RecordedProcess
	if err == nil {
		found, err = w.o.Select.Selector.RecordedOf(sessionName, rec, pods, goneClasses...)
	}
	if err != nil && !w.record.warned {
		w.record.warned = true
		fmt.Fprintf(w.o.f.Streams.ErrOut, "Warning: killed and lost processes are not all shown: %v\n", err)
	}
	return found
}

// printRecordChange prints the rows of a session that its record changed:
// a process it now says is Killed or Lost (once its pod's end was
// printed), and the end of a process shown from it that flush made it
// forget (Flushed) or that went with the record (Deleted).
func (w *watchPrinter) printRecordChange(sessionName string) error {
	rows := map[string]bool{}
	var gones []selector.RecordedProcess
	for _, rp := range w.recorded(sessionName, w.t.SessionPods(sessionName)) {
		if rp.Class == sessionrecord.ClassLost && !w.record.gone[rp.Entry.PodUID] {
			continue // its pod has not reached this watch yet
		}
		gones = append(gones, rp)
	}
	for _, v := range selector.Merged(nil, gones, w.keys, w.o.Select.Selector.Matches) {
		id := processID(&v)
		rows[id] = true
		prev, shown := w.last[id]
		if shown && prev.recorded == nil {
			continue // its pod's row: the pod's deletion is printed first
		}
		typ := watch.Added
		if shown {
			typ = watch.Modified
		}
		if err := w.show(typ, &v, false, true); err != nil {
			return err
		}
	}
	return w.printForgotten(sessionName, rows)
}

// printForgotten ends the rows shown from a session's record that it no
// longer shows (rows are those it does): Flushed when flush forgot the
// process, Deleted when its entry or the record went. A process whose
// record awaits its pod (a restart) keeps its row: the pod's line follows.
func (w *watchPrinter) printForgotten(sessionName string, rows map[string]bool) error {
	var ended []string
	for id, row := range w.last {
		if row.recorded != nil && row.recorded.Session == sessionName && !rows[id] {
			ended = append(ended, id)
		}
	}
	if len(ended) == 0 {
		return nil
	}
	rec, err := w.t.Record(sessionName)
	if err != nil {
		return nil // warned; the rows stay as they are
	}
	sort.Strings(ended)
	for _, id := range ended {
		v := *w.last[id].recorded
		r, ok := sessionrecord.ReconcileOne(rec, v.Name, w.t.Cache.Get(v.Session, v.Name), w.keys)
		switch {
		case !ok:
			v.Status = StatusDeleted
		case r.Class == sessionrecord.ClassFlushed:
			v.Status = StatusFlushed
		default:
			continue
		}
		if err := w.show(watch.Deleted, &v, true, true); err != nil {
			return err
		}
	}
	return nil
}

// afterDeletion follows a pod's Deleted line with its Killed row when the
// record says so already (the records' watch may be ahead of the pods');
// otherwise the Killed row comes with the record's change.
func (w *watchPrinter) afterDeletion(pod *corev1.Pod) error {
	if !w.record.on {
		return nil
	}
	rec, err := w.t.Record(pod.Namespace)
	if err != nil || !rec.Found() {
		return nil
	}
	rp, ok, _ := w.o.Select.Selector.RecordedOne(pod.Namespace, rec, pod.Name, w.t.Cache.Get(pod.Namespace, pod.Name), sessionrecord.ClassKilled)
	if !ok {
		return nil
	}
	views := selector.Merged(nil, []selector.RecordedProcess{rp}, w.keys, w.o.Select.Selector.Matches)
	for i := range views {
		if err := w.show(watch.Added, &views[i], false, true); err != nil {
			return err
		}
	}
	return nil
}
