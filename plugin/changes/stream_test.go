package changes

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// Stream on a fake clientset: the state of each process and the events of
// the start, oldest first (an event of the start without a STATUS: it is
// not known when it happened); then a live exit; a foreign pod's event is
// not a record.
func TestStream(t *testing.T) {
	// Transitions: the event at t0-1m, df-01 Ready at t0, ru-01 at t0+1s.
	ru, df := running("ru-01"), running("df-01")
	df.Status.Conditions[0].LastTransitionTime = metav1.NewTime(t0.Add(-time.Hour))
	ev := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "ru-01.1", Namespace: "run42"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "run42", Name: "ru-01", UID: ru.UID},
		Type:           "Normal", Reason: "Scheduled", LastTimestamp: metav1.NewTime(t0.Add(-time.Minute))}
	foreign := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "x.1", Namespace: "other"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "other", Name: "x", UID: "x"}, Type: "Warning"}
	client := fake.NewSimpleClientset(ru, df, ev, foreign)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := informers.Start(ctx, informers.Config{Client: client})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []Record
	listed := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Stream(ctx, c, Config{Watch: true, Now: func() time.Time { return t0 },
			Listed: func() error { close(listed); return nil }}, func(r Record) error {
			mu.Lock()
			got = append(got, r)
			mu.Unlock()
			return nil
		})
	}()
	select {
	case <-listed:
	case <-ctx.Done():
		t.Fatal("the start was never listed")
	}
	mu.Lock()
	var order []string
	for _, r := range got {
		order = append(order, r.Process+":"+r.Source)
		if r.Source == SourceEvent && (r.From != "" || r.To != "" || r.ExitCode != nil) {
			t.Errorf("an event of the start carries the STATUS now: %s → %s, exit %v", r.From, r.To, r.ExitCode)
		}
	}
	mu.Unlock()
	if want := "ru-01:event df-01:pod ru-01:pod"; strings.Join(order, " ") != want {
		t.Errorf("start: %s, want %s", strings.Join(order, " "), want)
	}
	if _, err := client.CoreV1().Pods("run42").UpdateStatus(ctx, exited(ru, 3), metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	for {
		mu.Lock()
		last := got[len(got)-1]
		mu.Unlock()
		if last.Process == "ru-01" && last.To == "Error" {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the exit was never streamed; last %+v", last)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Stream after ctx ended: %v", err)
	}
}
