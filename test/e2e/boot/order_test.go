package boot

import (
	"context"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// timeline is what a watch opened before the boot saw, in the order etcd
// committed it: a resourceVersion is a cluster-wide revision, so comparing
// the revision that made a pod Ready with the one that created another pod
// proves which happened first (timestamps have whole seconds only).
type timeline struct {
	created   map[string]uint64 // revision of the pod's creation
	ready     map[string]uint64 // revision of its first Ready=True
	role      map[string]session.Role
	readyAt   map[string]time.Time // the Ready condition's transition time
	createdAt map[string]time.Time
}

// watchTimeline starts watching the (not yet existing) session and returns
// a function that waits until n pods were Ready and returns the timeline.
func watchTimeline(t *testing.T, tc *testcluster.Cluster, ns string, n int) func() timeline {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	w, err := tc.Client.CoreV1().Pods("").Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.namespace=" + ns})
	if err != nil {
		cancel()
		t.Fatalf("watching pods of %s: %v", ns, err)
	}
	tl := timeline{created: map[string]uint64{}, ready: map[string]uint64{}, role: map[string]session.Role{},
		readyAt: map[string]time.Time{}, createdAt: map[string]time.Time{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer cancel()
		defer w.Stop()
		for ev := range w.ResultChan() {
			p, ok := ev.Object.(*corev1.Pod)
			if !ok || (ev.Type != watch.Added && ev.Type != watch.Modified) {
				continue
			}
			rv, _ := strconv.ParseUint(p.ResourceVersion, 10, 64)
			if _, seen := tl.created[p.Name]; !seen {
				tl.created[p.Name] = rv
				tl.createdAt[p.Name] = p.CreationTimestamp.Time
				tl.role[p.Name] = session.Role(p.Labels[session.Keys("").Role()])
			}
			if _, seen := tl.ready[p.Name]; !seen {
				for _, c := range p.Status.Conditions {
					if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
						tl.ready[p.Name] = rv
						tl.readyAt[p.Name] = c.LastTransitionTime.Time
					}
				}
			}
			if len(tl.ready) >= n {
				return
			}
		}
	}()
	return func() timeline {
		select {
		case <-done:
		case <-time.After(3 * time.Minute):
			t.Fatalf("watch of %s: not %d Ready pods within 3m", ns, n)
		}
		return tl
	}
}

// checkOrder asserts drunc's order: the connection server was Ready before
// any non-infrastructure pod was created, and the root controller was Ready
// before any controller or application below it was created.
func checkOrder(t *testing.T, tl timeline, lcs, root string) {
	t.Helper()
	lcsReady, ok := tl.ready[lcs]
	if !ok {
		t.Fatalf("%s never seen Ready", lcs)
	}
	rootReady, ok := tl.ready[root]
	if !ok {
		t.Fatalf("%s never seen Ready", root)
	}
	checked := 0
	for name, created := range tl.created {
		if tl.role[name] == session.RoleInfrastructure {
			continue
		}
		if created <= lcsReady {
			t.Errorf("%s (%s) was created at revision %d, before %s was Ready (revision %d)", name, tl.role[name], created, lcs, lcsReady)
		}
		if tl.createdAt[name].Before(tl.readyAt[lcs]) {
			t.Errorf("%s created at %s, before %s was Ready at %s", name, tl.createdAt[name], lcs, tl.readyAt[lcs])
		}
		if name == root {
			continue
		}
		if created <= rootReady {
			t.Errorf("%s (%s) was created at revision %d, before %s was Ready (revision %d)", name, tl.role[name], created, root, rootReady)
		}
		if tl.createdAt[name].Before(tl.readyAt[root]) {
			t.Errorf("%s created at %s, before %s was Ready at %s", name, tl.createdAt[name], root, tl.readyAt[root])
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no application was seen: nothing to check the order against")
	}
	t.Logf("order checked for %d processes after %s (Ready at revision %d) and %s (Ready at revision %d)", checked, lcs, lcsReady, root, rootReady)
}
