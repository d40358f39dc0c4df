package selector

import (
	"errors"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// MatchesEntry reports whether a recorded process without a pod is
// selected: the pod its record holds is matched as a live one would be
// (name, uuid, role, user, -l), so a killed process is selected by the
// same flags that selected it alive.
func (s *Selector) MatchesEntry(e *sessionrecord.Entry) bool {
	pod, _, err := e.Objects()
	return err == nil && s.Matches(pod)
}

// RecordedProcess is a recorded process of a session, without a pod.
type RecordedProcess struct {
	Session string
	sessionrecord.Reconciled
	// Recorded is the pod its record holds (as boot submitted it), named
	// and namespaced as the process; a copy of the caller's own.
	Recorded *corev1.Pod
}

// Shown is the process as every verb shows it without a pod: its recorded
// pod (no status; created when it was booted), STATUS Killed with its
// recorded exit code (-1 if it ran) until flushed, or Lost without one.
func (rp *RecordedProcess) Shown() (pod *corev1.Pod, status string, exit *int32) {
	pod = rp.Recorded
	pod.CreationTimestamp.Time = rp.Entry.BootedAt
	pod.Status = corev1.PodStatus{}
	if rp.Class == sessionrecord.ClassKilled {
		code := rp.Entry.KilledExit()
		return pod, string(rp.Class), &code
	}
	return pod, string(sessionrecord.ClassLost), nil
}

// View is Shown as a process view: dead, with the recorded status.
func (rp *RecordedProcess) View(keys session.LabelKeys) process.View {
	pod, _, _ := rp.Shown()
	v := process.FromPod(pod, keys)
	rp.mark(&v)
	return v
}

// mark makes the view of the process's recorded pod show it as Shown does.
func (rp *RecordedProcess) mark(v *process.View) {
	_, status, exit := rp.Shown()
	v.Status, v.Exit, v.State, v.IP, v.Ready = status, exit, process.Dead, "", false
}

// RecordedOf returns the processes of one session's record that have no
// pod, whose class is one of classes and that the selection matches, by
// name. pods are the session's live pods (all of them, not only the
// selected ones: a pod under the recorded name means the process is
// there). A session without a record gives nothing; an entry whose spec
// cannot be read is left out, and named in the error.
func (s *Selector) RecordedOf(sessionName string, rec *sessionrecord.Record, pods []*corev1.Pod, classes ...sessionrecord.Class) ([]RecordedProcess, error) {
	if !rec.Found() {
		return nil, nil
	}
	var out []RecordedProcess
	var errs []error
	for _, r := range sessionrecord.Reconcile(rec, pods, s.keys) {
		rp, ok, err := s.recorded(sessionName, r, classes)
		if ok {
			out = append(out, rp)
		}
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// RecordedOne is RecordedOf for one process, whose live pod is pod (nil
// when it has none): ps -w asks it about each pod it sees deleted.
func (s *Selector) RecordedOne(sessionName string, rec *sessionrecord.Record, name string, pod *corev1.Pod, classes ...sessionrecord.Class) (RecordedProcess, bool, error) {
	r, ok := sessionrecord.ReconcileOne(rec, name, pod, s.keys)
	if !ok {
		return RecordedProcess{}, false, nil
	}
	return s.recorded(sessionName, r, classes)
}

func (s *Selector) recorded(sessionName string, r sessionrecord.Reconciled, classes []sessionrecord.Class) (RecordedProcess, bool, error) {
	if r.Pod != nil || r.Entry == nil || !slices.Contains(classes, r.Class) {
		return RecordedProcess{}, false, nil
	}
	pod, _, err := r.Entry.Objects()
	if err != nil {
		return RecordedProcess{}, false, fmt.Errorf("session %q: %w", sessionName, err)
	}
	pod.Namespace, pod.Name = sessionName, r.Name
	if !s.Matches(pod) {
		return RecordedProcess{}, false, nil
	}
	return RecordedProcess{Session: sessionName, Reconciled: r, Recorded: pod}, true, nil
}
