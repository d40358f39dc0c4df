package missing

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func TestFindTellsGoneFromNeverThere(t *testing.T) {
	keys := session.Keys("")
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "ru-01", Namespace: "run42", UID: "u1",
		Labels: map[string]string{keys.Creator(): session.CreatorValue}}}
	killed := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "tp-01.1", Namespace: "run42"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "run42", Name: "tp-01", UID: "gone"},
		Reason:         "Killing", Message: "Stopping container tp-01", Type: "Normal",
		LastTimestamp: metav1.NewTime(time.Now().Add(-2 * time.Minute)),
	}
	client := fake.NewClientset(pod, killed)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := informers.Start(ctx, informers.Config{Client: client, Namespace: "run42"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Find(ctx, c, selector.Options{Names: []string{"ru-01", "tp-01", "nope", "ru-.*"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "tp-01" || got[1].Name != "nope" {
		t.Fatalf("Find = %+v, want tp-01 and nope (ru-01 and ru-.* select a pod)", got)
	}
	if !got[0].Gone() || got[1].Gone() {
		t.Errorf("gone: tp-01 %v, nope %v; want true, false", got[0].Gone(), got[1].Gone())
	}
	msg := got[0].Message(time.Now())
	if !strings.Contains(msg, `process "tp-01" has no pod in session "run42": it is gone (last event 2m`) || !strings.Contains(msg, "Killing Stopping container tp-01") {
		t.Errorf("message = %q", msg)
	}
	if want := `no process matches "nope" in session "run42" (see kubectl drunc ps -n run42)`; got[1].Message(time.Now()) != want {
		t.Errorf("message = %q, want %q", got[1].Message(time.Now()), want)
	}
}
