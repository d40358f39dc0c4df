package sessionrecord

import (
	"sort"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Class is what Reconcile finds a process to be.
type Class string

// The classes. A pod's presence always wins over the recorded state: the
// cluster is the truth, the record only explains an absence.
const (
	// Running: its pod exists with the recorded uuid (whatever the pod's
	// phase: ps shows that).
	ClassRunning Class = "Running"
	// Killed: recorded as killed by kubectl drunc, no pod.
	ClassKilled Class = "Killed"
	// Lost: recorded as booted, no pod: deleted by someone else, or lost
	// with its node.
	ClassLost Class = "Lost"
	// Flushed: forgotten by flush, no pod; ps does not show it.
	ClassFlushed Class = "Flushed"
	// Extra: a pod without an entry (no record, or created by other means).
	ClassExtra Class = "Extra"
	// Replaced: a pod under the recorded name with another uuid.
	ClassReplaced Class = "Replaced"
)

// Reconciled is one process of a session: its entry, its pod, or both.
type Reconciled struct {
	Name  string
	Class Class
	Entry *Entry      // nil for Extra
	Pod   *corev1.Pod // nil for Killed, Lost, Flushed
}

// Reconcile classifies each process of one session from its record (which
// may be not Found: every pod is then Extra) and its live pods, sorted by
// name. keys are the session's label keys (the uuid label).
//
// A record of another label domain is not this selection's: its pods are
// invisible here, so its entries would all read as Lost.
func Reconcile(rec *Record, pods []*corev1.Pod, keys session.LabelKeys) []Reconciled {
	rec = rec.of(keys)
	byName := map[string]*corev1.Pod{}
	for _, p := range pods {
		byName[p.Name] = p
	}
	var out []Reconciled
	if rec != nil {
		for name, e := range rec.Entries {
			out = append(out, classify(name, e, byName[name], keys))
		}
	}
	for name, p := range byName {
		if rec.Entry(name) == nil {
			out = append(out, Reconciled{Name: name, Class: ClassExtra, Pod: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ReconcileOne classifies one process as Reconcile would, from its entry
// and its live pod (nil when it has none); ok is false when the record
// (of these keys' label domain) has no entry for it.
func ReconcileOne(rec *Record, name string, pod *corev1.Pod, keys session.LabelKeys) (r Reconciled, ok bool) {
	e := rec.of(keys).Entry(name)
	if e == nil {
		return Reconciled{}, false
	}
	return classify(name, e, pod, keys), true
}

// of is the record when it was booted in the label domain of keys, else
// nil.
func (r *Record) of(keys session.LabelKeys) *Record {
	if r.Found() && session.Keys(r.Header.LabelDomain).Domain != keys.Domain {
		return nil
	}
	return r
}

func classify(name string, e *Entry, pod *corev1.Pod, keys session.LabelKeys) Reconciled {
	r := Reconciled{Name: name, Entry: e, Pod: pod}
	switch {
	case pod != nil && pod.Labels[keys.UUID()] == e.UUID:
		r.Class = ClassRunning
	case pod != nil:
		r.Class = ClassReplaced
	case e.State == StateKilled:
		r.Class = ClassKilled
	case e.State == StateFlushed:
		r.Class = ClassFlushed
	default:
		r.Class = ClassLost
	}
	return r
}
