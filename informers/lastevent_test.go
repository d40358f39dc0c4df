package informers

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// LastEvent: the latest event about the pod; of two in the same second
// (kwok's Scheduled and Exited, say), the Warning, whichever is listed first.
func TestLastEventPrefersAWarningOfTheSameSecond(t *testing.T) {
	at := metav1.NewTime(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	ev := func(name, typ, reason string, when metav1.Time) *corev1.Event {
		return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "s"}, Type: typ, Reason: reason,
			InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "s", Name: "p", UID: "u"}, LastTimestamp: when}
	}
	earlier := metav1.NewTime(at.Add(-time.Minute))
	micro := func(e *corev1.Event, when time.Time) *corev1.Event { // as the scheduler reports
		e.EventTime = metav1.NewMicroTime(when)
		return e
	}
	for _, c := range []struct {
		name   string
		events []*corev1.Event
		want   string
	}{
		{"warning listed first", []*corev1.Event{ev("a", corev1.EventTypeWarning, "Exited", at), ev("b", corev1.EventTypeNormal, "Scheduled", at)}, "Exited"},
		{"warning listed last", []*corev1.Event{ev("a", corev1.EventTypeNormal, "Scheduled", at), ev("b", corev1.EventTypeWarning, "Exited", at)}, "Exited"},
		{"a Normal event with microseconds, in the Warning's second", []*corev1.Event{ev("a", corev1.EventTypeWarning, "Exited", at), micro(ev("b", corev1.EventTypeNormal, "Scheduled", metav1.Time{}), at.Add(201*time.Millisecond))}, "Exited"},
		{"a later normal event wins", []*corev1.Event{ev("a", corev1.EventTypeWarning, "BackOff", earlier), ev("b", corev1.EventTypeNormal, "Started", at)}, "Started"},
	} {
		t.Run(c.name, func(t *testing.T) {
			client := fake.NewClientset(c.events[0], c.events[1])
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cache, err := Start(ctx, Config{Client: client, Namespace: "s"})
			if err != nil {
				t.Fatal(err)
			}
			cache.StartEvents()
			if !cache.EventsSynced(ctx) {
				t.Fatal("events not synced")
			}
			if got := cache.LastEvent("u"); got == nil || got.Reason != c.want {
				t.Errorf("LastEvent = %v, want %s", got, c.want)
			}
		})
	}
}
