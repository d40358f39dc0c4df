package lifecycle

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// podEvent is one pod event of a watch, with when the test received it.
type podEvent struct {
	typ   watch.EventType
	name  string
	ready bool
	seen  time.Time
}

// podWatch follows the pods of a namespace from when it starts. One watch
// stream delivers events in the order the API stored the changes, so the
// index of an event orders it against every other.
type podWatch struct {
	mu  sync.Mutex
	all []podEvent
}

func watchPods(t *testing.T, tc *testcluster.Cluster, ns string) *podWatch {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	list, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wi, err := tc.Client.CoreV1().Pods(ns).Watch(ctx, metav1.ListOptions{ResourceVersion: list.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	w := &podWatch{}
	go func() {
		defer wi.Stop()
		for e := range wi.ResultChan() {
			p, ok := e.Object.(*corev1.Pod)
			if !ok {
				continue
			}
			w.mu.Lock()
			w.all = append(w.all, podEvent{typ: e.Type, name: p.Name, ready: podReady(p), seen: time.Now()})
			w.mu.Unlock()
		}
	}()
	return w
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func (w *podWatch) events() []podEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]podEvent(nil), w.all...)
}

// until waits (up to 2 minutes) until cond holds for the events so far.
func (w *podWatch) until(t *testing.T, what string, cond func([]podEvent) bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond(w.events()) {
		if time.Now().After(deadline) {
			t.Fatalf("not seen within 2 minutes: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// added counts the pods of that name created since the watch started.
func (w *podWatch) added(name string) int {
	n := 0
	for _, e := range w.events() {
		if e.typ == watch.Added && e.name == name {
			n++
		}
	}
	return n
}

// addedAt is the index of the first creation of a pod of that name (-1:
// none).
func addedAt(events []podEvent, name string) int {
	for i, e := range events {
		if e.typ == watch.Added && e.name == name {
			return i
		}
	}
	return -1
}

// readyAt is the index of the first event showing a pod of that name
// Ready (-1: none).
func readyAt(events []podEvent, name string) int {
	for i, e := range events {
		if e.typ != watch.Deleted && e.name == name && e.ready {
			return i
		}
	}
	return -1
}
