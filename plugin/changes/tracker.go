package changes

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Tracker remembers the last state of every pod it saw, to turn pod
// notifications into changes and to name the process of an event.
type Tracker struct {
	keys session.LabelKeys
	last map[types.UID]seen
	// sessions are the namespaces where drunc pods were seen: events of
	// pods gone before the tracker saw them belong to those sessions' processes.
	sessions map[string]bool
}

type seen struct {
	pod      *corev1.Pod
	status   string
	exit     int32 // -1: none
	restarts int32
	ready    bool
}

// NewTracker returns an empty tracker for drunc's label keys.
func NewTracker(keys session.LabelKeys) *Tracker {
	return &Tracker{keys: keys, last: map[types.UID]seen{}, sessions: map[string]bool{}}
}

// Found records a pod present at the start and returns its current state
// as a record dated by the pod's last transition.
func (t *Tracker) Found(pod *corev1.Pod) Record {
	v := process.FromPod(pod, t.keys)
	t.remember(&v)
	r := t.record(&v, "", metav1.NewTime(transitionTime(pod)))
	return r
}

// Pod records a pod added or updated while watching and returns the
// change, or false when nothing a record shows changed.
func (t *Tracker) Pod(pod *corev1.Pod, now time.Time) (Record, bool) {
	v := process.FromPod(pod, t.keys)
	prev, known := t.last[v.UID]
	t.remember(&v)
	if known && prev.status == v.Status && prev.exit == exitOf(v.Exit) && prev.restarts == v.Restarts {
		return Record{}, false
	}
	r := t.record(&v, prev.status, metav1.NewTime(now))
	if known && v.Restarts > prev.restarts {
		r.Type = corev1.EventTypeWarning
		if r.Reason == "" {
			r.Reason = "Restarted"
		}
	}
	if known && prev.ready && v.Status == "NotReady" {
		r.Type = corev1.EventTypeWarning
	}
	return r, true
}

// Gone records a deleted pod and returns its last record.
func (t *Tracker) Gone(pod *corev1.Pod, now time.Time) Record {
	v := process.FromPod(pod, t.keys)
	prev, known := t.last[v.UID]
	from := v.Status
	if known {
		from = prev.status
	}
	r := newRecord()
	r.Time, r.Type, r.Source = metav1.NewTime(now), corev1.EventTypeNormal, SourcePod
	r.Session, r.Process, r.UUID = v.Session, v.Name, v.UUID
	r.From, r.To, r.ExitCode, r.Restarts, r.Reason = from, Deleted, v.Exit, v.Restarts, "Deleted"
	if known {
		prev.status = Deleted
		t.last[v.UID] = prev
	}
	return r
}

// Event returns the record of a Kubernetes event about a drunc pod, with
// the pod it is about (nil for a pod gone before the tracker saw it), or
// false when the event is not about a drunc process.
func (t *Tracker) Event(ev *corev1.Event) (Record, *corev1.Pod, bool) {
	s, known := t.last[ev.InvolvedObject.UID]
	if !known && !t.sessions[ev.InvolvedObject.Namespace] {
		return Record{}, nil, false
	}
	r := newRecord()
	r.Time, r.Type, r.Source = metav1.NewTime(informers.EventTime(ev)), ev.Type, SourceEvent
	r.Session, r.Process = ev.InvolvedObject.Namespace, ev.InvolvedObject.Name
	r.Reason, r.Message, r.Count = ev.Reason, ev.Message, ev.Count
	if known {
		r.UUID = s.pod.Labels[t.keys.UUID()]
		r.From, r.To, r.Restarts = s.status, s.status, s.restarts
		if s.exit >= 0 {
			code := s.exit
			r.ExitCode = &code
		}
	}
	return r, s.pod, true
}

func (t *Tracker) remember(v *process.View) {
	t.last[v.UID] = seen{pod: v.Pod, status: v.Status, exit: exitOf(v.Exit), restarts: v.Restarts, ready: v.Ready}
	t.sessions[v.Session] = true
}

// record is a state record; its type says whether the new state needs
// attention (health.Classify: the one classification).
func (t *Tracker) record(v *process.View, from string, at metav1.Time) Record {
	r := newRecord()
	r.Time, r.Source = at, SourcePod
	r.Session, r.Process, r.UUID = v.Session, v.Name, v.UUID
	r.From, r.To, r.ExitCode, r.Restarts = from, v.Status, v.Exit, v.Restarts
	state := health.Classify(v, nil)
	r.Type = corev1.EventTypeNormal
	if warning(state, v) {
		r.Type = corev1.EventTypeWarning
	}
	if !state.Healthy() {
		r.Reason, r.Message = health.Reason(v, state, nil)
	}
	return r
}

// warning: a state that is not a normal stage of a process's life
// (starting, running, exiting 0, being deleted).
func warning(state health.State, v *process.View) bool {
	switch state {
	case health.Exited:
		return v.Exit != nil && *v.Exit != 0
	case health.Pending:
		return strings.HasSuffix(v.Status, "BackOff") || strings.HasPrefix(v.Status, "Err") || strings.Contains(v.Status, "Error")
	case health.Ready, health.NotReady, health.Terminating:
		return false
	}
	return true
}

func exitOf(p *int32) int32 {
	if p == nil {
		return -1
	}
	return *p
}

// transitionTime is when the pod entered its current state, as far as its
// status says: the latest condition transition or container start/finish.
func transitionTime(pod *corev1.Pod) time.Time {
	at := pod.CreationTimestamp.Time
	later := func(t time.Time) {
		if t.After(at) {
			at = t
		}
	}
	for _, c := range pod.Status.Conditions {
		later(c.LastTransitionTime.Time)
	}
	for _, s := range pod.Status.ContainerStatuses {
		if s.State.Running != nil {
			later(s.State.Running.StartedAt.Time)
		}
		if s.State.Terminated != nil {
			later(s.State.Terminated.FinishedAt.Time)
		}
	}
	return at
}
