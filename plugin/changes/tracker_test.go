package changes

import (
	"encoding/json"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var (
	keys = session.Keys("")
	t0   = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
)

func running(name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "run42", UID: types.UID("uid-" + name), CreationTimestamp: metav1.NewTime(t0),
			Labels: map[string]string{keys.Creator(): session.CreatorValue, keys.UUID(): "u-" + name}},
		Spec: corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: name}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue, LastTransitionTime: metav1.NewTime(t0.Add(time.Second))}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: name, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(t0)}}}}},
	}
}

func exited(p *corev1.Pod, code int32) *corev1.Pod {
	p = p.DeepCopy()
	p.Status.Phase = corev1.PodFailed
	p.Status.Conditions[0].Status = corev1.ConditionFalse
	p.Status.ContainerStatuses[0].Ready = false
	p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: "Error", Message: "segfault"}}
	return p
}

func TestTrackerStateChanges(t *testing.T) {
	tr := NewTracker(keys)
	ru := running("ru-01")
	found := tr.Found(ru)
	if found.From != "" || found.To != "Running" || found.Type != "Normal" || !found.Time.Time.Equal(t0.Add(time.Second)) {
		t.Errorf("found: %+v", found)
	}
	// A status heartbeat changes nothing a record shows.
	again := ru.DeepCopy()
	again.ResourceVersion = "2"
	if r, ok := tr.Pod(again, t0); ok {
		t.Errorf("unchanged pod gave a record: %+v", r)
	}
	now := t0.Add(time.Minute)
	r, ok := tr.Pod(exited(ru, 3), now)
	if !ok || r.From != "Running" || r.To != "Error" || r.ExitCode == nil || *r.ExitCode != 3 ||
		r.Type != "Warning" || r.Reason != "Error" || r.Message != "segfault" || !r.Time.Time.Equal(now) {
		t.Errorf("exit 3: %+v", r)
	}
	gone := tr.Gone(exited(ru, 3), now)
	if gone.From != "Error" || gone.To != Deleted || gone.Type != "Normal" {
		t.Errorf("deleted: %+v", gone)
	}
	b, _ := json.Marshal(&r)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["apiVersion"] != SchemaVersion || m["kind"] != Kind || m["exitCode"] != 3.0 {
		t.Errorf("json: %s", b)
	}
}

func TestTrackerRestartAndNotReady(t *testing.T) {
	tr := NewTracker(keys)
	ru := running("ru-01")
	tr.Found(ru)
	nr := ru.DeepCopy()
	nr.Status.Conditions[0].Status = corev1.ConditionFalse
	nr.Status.ContainerStatuses[0].Ready = false
	if r, ok := tr.Pod(nr, t0); !ok || r.To != "NotReady" || r.Type != "Warning" {
		t.Errorf("ready → not ready: %+v", r)
	}
	rs := ru.DeepCopy()
	rs.Status.ContainerStatuses[0].RestartCount = 1
	if r, ok := tr.Pod(rs, t0); !ok || r.Restarts != 1 || r.Type != "Warning" || r.Reason != "Restarted" {
		t.Errorf("restart: %+v %v", r, ok)
	}
	// A process starting: not ready yet is no warning.
	tr2 := NewTracker(keys)
	tr2.Found(nr)
	if r, ok := tr2.Pod(ru, t0); !ok || r.From != "NotReady" || r.To != "Running" || r.Type != "Normal" {
		t.Errorf("not ready → running: %+v", r)
	}
}

func TestTrackerEvents(t *testing.T) {
	tr := NewTracker(keys)
	ru := running("ru-01")
	tr.Found(ru)
	ev := &corev1.Event{InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "run42", Name: "ru-01", UID: ru.UID},
		Type: "Warning", Reason: "Unhealthy", Message: "Readiness probe failed", Count: 3, LastTimestamp: metav1.NewTime(t0)}
	r, pod, ok := tr.Event(ev)
	if !ok || pod != ru || r.Source != SourceEvent || r.To != "Running" || r.Count != 3 || r.Reason != "Unhealthy" || r.UUID != "u-ru-01" {
		t.Errorf("event: %+v", r)
	}
	// An event of a pod gone before the start, in a session: kept, no pod.
	ev.InvolvedObject.UID, ev.InvolvedObject.Name = "old", "df-01"
	if r, pod, ok := tr.Event(ev); !ok || pod != nil || r.Process != "df-01" {
		t.Errorf("event of a gone pod: %+v %v", r, ok)
	}
	// Not a session: not a drunc process.
	ev.InvolvedObject.Namespace = "kube-system"
	if _, _, ok := tr.Event(ev); ok {
		t.Error("event outside drunc sessions kept")
	}
}

func TestConfigKeep(t *testing.T) {
	cfg := Config{Types: []string{"Warning"}, MatchesName: func(n string) bool { return n == "ru-01" }}
	if cfg.keep(&Record{Type: "Normal", Process: "ru-01"}, nil) || !cfg.keep(&Record{Type: "Warning", Process: "ru-01"}, nil) ||
		cfg.keep(&Record{Type: "Warning", Process: "df-01"}, nil) {
		t.Error("keep filters wrong")
	}
}
