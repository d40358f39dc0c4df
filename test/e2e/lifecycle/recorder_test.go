package lifecycle

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// recorder watches a session's pods with an informer of the test's own and
// numbers, in the watch's order (resourceVersion order), when each pod was
// first seen going (a deletionTimestamp) and gone (deleted). Sequence
// numbers, not clocks: one watch delivers events in the order etcd wrote
// them, so "every application gone before any controller started going" is
// exact.
type recorder struct {
	mu    sync.Mutex
	seq   int
	going map[string]int
	gone  map[string]int
	// grace is the deletionGracePeriodSeconds seen on a pod going, -1 when
	// the pod went without ever being seen terminating (deleted at once).
	grace map[string]int64
}

func record(t *testing.T, tc *testcluster.Cluster, ns string) *recorder {
	t.Helper()
	r := &recorder{going: map[string]int{}, gone: map[string]int{}, grace: map[string]int64{}}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	f := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns))
	inf := f.Core().V1().Pods().Informer()
	_, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		UpdateFunc: func(_, obj any) {
			p := obj.(*corev1.Pod)
			if p.DeletionTimestamp == nil {
				return
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			if _, ok := r.going[p.Name]; !ok {
				r.seq++
				r.going[p.Name] = r.seq
				r.grace[p.Name] = *p.DeletionGracePeriodSeconds
			}
		},
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			p := obj.(*corev1.Pod)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.seq++
			if _, ok := r.going[p.Name]; !ok {
				r.going[p.Name] = r.seq
				r.grace[p.Name] = -1
			}
			r.gone[p.Name] = r.seq
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	f.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		t.Fatal("test informer did not sync")
	}
	return r
}

// snapshot returns copies of the maps.
func (r *recorder) snapshot() (going, gone map[string]int, grace map[string]int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	going, gone, grace = map[string]int{}, map[string]int{}, map[string]int64{}
	for k, v := range r.going {
		going[k] = v
	}
	for k, v := range r.gone {
		gone[k] = v
	}
	for k, v := range r.grace {
		grace[k] = v
	}
	return
}

// waitGone waits (bounded) until the recorder saw every name deleted: its
// watch may deliver the last events just after the plugin returned.
func (r *recorder) waitGone(t *testing.T, names []string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, gone, _ := r.snapshot()
		var missing []string
		for _, n := range names {
			if _, ok := gone[n]; !ok {
				missing = append(missing, n)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the test's informer never saw these pods deleted: %v", missing)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
