package boot

import (
	"context"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// podWatch is the referee of the contenders that have no readiness wait of
// their own: an informer on the harness's client (not the contender's).
type podWatch struct {
	mu      sync.Mutex
	pods    map[string]*corev1.Pod
	changed chan struct{}
	cancel  context.CancelFunc
	factory informers.SharedInformerFactory
}

func watchPods(b *testing.B, tc *testcluster.Cluster, ns string) *podWatch {
	ctx, cancel := context.WithCancel(context.Background())
	w := &podWatch{pods: map[string]*corev1.Pod{}, changed: make(chan struct{}, 1), cancel: cancel}
	w.factory = informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns))
	inf := w.factory.Core().V1().Pods().Informer()
	set := func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok {
			w.mu.Lock()
			w.pods[p.Name] = p
			w.mu.Unlock()
			select {
			case w.changed <- struct{}{}:
			default:
			}
		}
	}
	if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: set, UpdateFunc: func(_, o any) { set(o) }}); err != nil {
		b.Fatal(err)
	}
	w.factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		b.Fatal("pod informer did not sync")
	}
	return w
}

func (w *podWatch) stop() { w.cancel(); w.factory.Shutdown() }

func (w *podWatch) count(pred func(*corev1.Pod) bool) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, p := range w.pods {
		if pred(p) {
			n++
		}
	}
	return n
}

// waitAll waits until n pods satisfy pred.
func (w *podWatch) waitAll(b *testing.B, ctx context.Context, n int, pred func(*corev1.Pod) bool) {
	for w.count(pred) < n {
		select {
		case <-w.changed:
		case <-ctx.Done():
			b.Fatalf("only %d of %d pods there in time", w.count(pred), n)
		}
	}
}

// waitFor waits until the named pod satisfies pred.
func (w *podWatch) waitFor(b *testing.B, ctx context.Context, name string, pred func(*corev1.Pod) bool) {
	for {
		w.mu.Lock()
		p := w.pods[name]
		w.mu.Unlock()
		if p != nil && pred(p) {
			return
		}
		select {
		case <-w.changed:
		case <-ctx.Done():
			b.Fatalf("pod %s not there in time", name)
		}
	}
}

func isReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// deleteSession deletes a contender's namespace and waits until it is gone,
// so that its deletion does not load the cluster during the next run.
func deleteSession(b *testing.B, tc *testcluster.Cluster, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	err := tc.Client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		b.Fatalf("deleting %s: %v", ns, err)
	}
	for {
		_, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("namespace %s not gone after 5 minutes", ns)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
