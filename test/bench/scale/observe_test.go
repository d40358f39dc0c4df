package scale

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// observer is the referee: the benchmark's own informer on one session's
// pods, recording when each was first seen Ready, going (deletionTimestamp)
// and gone, and a watch on the namespace recording when it was gone.
type observer struct {
	mu      sync.Mutex
	ready   map[string]time.Time
	going   map[string]time.Time
	gone    map[string]time.Time
	nsGone  time.Time
	changed chan struct{}
	cancel  context.CancelFunc
	factory informers.SharedInformerFactory
	trace   nsTrace
}

func observe(b *testing.B, tc *testcluster.Cluster, ns string) *observer {
	ctx, cancel := context.WithCancel(context.Background())
	o := &observer{ready: map[string]time.Time{}, going: map[string]time.Time{}, gone: map[string]time.Time{},
		changed: make(chan struct{}, 1), cancel: cancel}
	o.factory = informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns))
	inf := o.factory.Core().V1().Pods().Informer()
	// Only what the referee reads: 10,000 full pods would weigh on the
	// machine the contenders run on.
	_ = inf.SetTransform(func(obj any) (any, error) {
		if p, ok := obj.(*corev1.Pod); ok {
			return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, UID: p.UID,
				DeletionTimestamp: p.DeletionTimestamp}, Status: corev1.PodStatus{Conditions: p.Status.Conditions}}, nil
		}
		return obj, nil
	})
	update := func(obj any) {
		p, ok := obj.(*corev1.Pod)
		if !ok {
			return
		}
		now := time.Now()
		o.mu.Lock()
		if _, seen := o.ready[p.Name]; !seen && isReady(p) {
			o.ready[p.Name] = now
		}
		if _, seen := o.going[p.Name]; !seen && p.DeletionTimestamp != nil {
			o.going[p.Name] = now
		}
		o.mu.Unlock()
		o.poke()
	}
	_, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    update,
		UpdateFunc: func(_, obj any) { update(obj) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			p, ok := obj.(*corev1.Pod)
			if !ok {
				return
			}
			now := time.Now()
			o.mu.Lock()
			if _, seen := o.going[p.Name]; !seen {
				o.going[p.Name] = now
			}
			o.gone[p.Name] = now
			o.mu.Unlock()
			o.poke()
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := o.traceDependents(); err != nil {
		b.Fatal(err)
	}
	o.factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		b.Fatal("the referee's pod informer did not sync")
	}
	go o.watchNamespace(ctx, tc, ns)
	return o
}

// watchNamespace records when the namespace is deleted (bounded by ctx;
// the watch is restarted if the server ends it).
func (o *observer) watchNamespace(ctx context.Context, tc *testcluster.Cluster, ns string) {
	sel := fields.OneTermEqualSelector("metadata.name", ns).String()
	for ctx.Err() == nil {
		w, err := tc.Client.CoreV1().Namespaces().Watch(ctx, metav1.ListOptions{FieldSelector: sel})
		if err != nil {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		for ev := range w.ResultChan() {
			o.namespaceEvent(ctx, tc, ns, ev)
			if ev.Type == watch.Deleted {
				o.mu.Lock()
				o.nsGone = time.Now()
				o.mu.Unlock()
				o.poke()
				w.Stop()
				return
			}
		}
	}
}

func (o *observer) poke() {
	select {
	case o.changed <- struct{}{}:
	default:
	}
}

func (o *observer) stop() { o.cancel(); o.factory.Shutdown() }

// until waits (bounded by ctx) until cond holds under the lock.
func (o *observer) until(ctx context.Context, cond func() bool) bool {
	for {
		o.mu.Lock()
		ok := cond()
		o.mu.Unlock()
		if ok {
			return true
		}
		select {
		case <-o.changed:
		case <-ctx.Done():
			return false
		case <-time.After(time.Second):
		}
	}
}

// lastOf is the latest time among these pods in m (zero if one is missing).
func lastOf(m map[string]time.Time, names []string) time.Time {
	var last time.Time
	for _, n := range names {
		t, ok := m[n]
		if !ok {
			return time.Time{}
		}
		if t.After(last) {
			last = t
		}
	}
	return last
}

func firstOf(m map[string]time.Time, names []string) time.Time {
	var first time.Time
	for _, n := range names {
		if t, ok := m[n]; ok && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	return first
}

func isReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
