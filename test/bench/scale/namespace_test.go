package scale

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// nsTrace is the referee's view of a namespace's deletion, to tell what the
// time between the last process gone and the namespace gone is made of:
// when the delete was seen (deletionTimestamp), what was still in the
// namespace then, each later write of the namespace (the namespace
// controller's passes write its status conditions, then its finalizer),
// and when the last service and endpoint slice went.
type nsTrace struct {
	mu          sync.Mutex
	deleting    time.Time
	left        string
	writes      []string
	lastService time.Time
	lastSlice   time.Time
}

// traceDependents records when the namespace's services and endpoint
// slices are deleted (registered before the observer's factory starts).
func (o *observer) traceDependents() error {
	last := func(at *time.Time) cache.ResourceEventHandlerFuncs {
		return cache.ResourceEventHandlerFuncs{DeleteFunc: func(any) {
			o.trace.mu.Lock()
			*at = time.Now()
			o.trace.mu.Unlock()
		}}
	}
	if _, err := o.factory.Core().V1().Services().Informer().AddEventHandler(last(&o.trace.lastService)); err != nil {
		return err
	}
	_, err := o.factory.Discovery().V1().EndpointSlices().Informer().AddEventHandler(last(&o.trace.lastSlice))
	return err
}

// namespaceEvent records one event of the namespace's watch; it prints the
// trace when the namespace is gone.
func (o *observer) namespaceEvent(ctx context.Context, tc *testcluster.Cluster, ns string, ev watch.Event) {
	n, ok := ev.Object.(*corev1.Namespace)
	if !ok {
		return
	}
	now := time.Now()
	t := &o.trace
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case ev.Type == watch.Deleted:
		o.mu.Lock()
		var lastPod time.Time
		for _, g := range o.gone {
			if g.After(lastPod) {
				lastPod = g
			}
		}
		o.mu.Unlock()
		if t.deleting.IsZero() {
			return
		}
		since := func(x time.Time) string {
			if x.IsZero() {
				return "-"
			}
			return fmt.Sprintf("%+.2f s", x.Sub(t.deleting).Seconds())
		}
		progress("namespace %s, from its delete seen: it then held %s; last process gone %s, last service %s, last endpoint slice %s; namespace written at %s; gone %s",
			ns, t.left, since(lastPod), since(t.lastService), since(t.lastSlice), strings.Join(t.writes, ", "), since(now))
	case n.DeletionTimestamp == nil:
	case t.deleting.IsZero():
		t.deleting = now
		go func() {
			left := leftIn(ctx, tc, ns)
			t.mu.Lock()
			t.left = left
			t.mu.Unlock()
		}()
	default:
		var conds []string
		for _, c := range n.Status.Conditions {
			if c.Status == corev1.ConditionTrue {
				conds = append(conds, string(c.Type))
			}
		}
		t.writes = append(t.writes, fmt.Sprintf("%+.2f s (%d conditions, true: %v; finalizers %v)",
			now.Sub(t.deleting).Seconds(), len(n.Status.Conditions), conds, n.Spec.Finalizers))
	}
}

// leftIn counts what the namespace holds, from the API server's cache.
func leftIn(ctx context.Context, tc *testcluster.Cluster, ns string) string {
	c, o := tc.Client, metav1.ListOptions{ResourceVersion: "0"}
	lists := []struct {
		kind string
		list func() (runtime.Object, error)
	}{
		{"pods", func() (runtime.Object, error) { return c.CoreV1().Pods(ns).List(ctx, o) }},
		{"services", func() (runtime.Object, error) { return c.CoreV1().Services(ns).List(ctx, o) }},
		{"endpointslices", func() (runtime.Object, error) { return c.DiscoveryV1().EndpointSlices(ns).List(ctx, o) }},
		{"configmaps", func() (runtime.Object, error) { return c.CoreV1().ConfigMaps(ns).List(ctx, o) }},
		{"secrets", func() (runtime.Object, error) { return c.CoreV1().Secrets(ns).List(ctx, o) }},
		{"serviceaccounts", func() (runtime.Object, error) { return c.CoreV1().ServiceAccounts(ns).List(ctx, o) }},
		{"events", func() (runtime.Object, error) { return c.CoreV1().Events(ns).List(ctx, o) }},
	}
	out := make([]string, len(lists))
	for i, l := range lists {
		obj, err := l.list()
		if err != nil {
			out[i] = l.kind + " ?"
			continue
		}
		out[i] = fmt.Sprintf("%d %s", meta.LenList(obj), l.kind)
	}
	return strings.Join(out, ", ")
}
