package lifecycle

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// createRendered renders the processes as boot would and creates their pods
// and services in an existing namespace (one boot would refuse: made by
// someone else, or with hosts boot would not accept). mutate may change
// each pod before it is created.
func createRendered(t *testing.T, tc *testcluster.Cluster, ns string, hosts []string, procs []proc, mutate func(*corev1.Pod)) {
	t.Helper()
	var shared []e2eproc.Proc
	for _, p := range procs {
		shared = append(shared, e2eproc.Proc{Name: p.name, TreeID: p.treeID, Exec: p.exec, Host: p.host})
	}
	objs := e2eproc.Render(t, ns, "tester", hosts, shared)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range objs.Processes {
		if mutate != nil {
			mutate(r.Pod)
		}
		pod, err := tc.Client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{})
		if err != nil {
			t.Fatalf("creating pod %s: %v", r.Pod.Name, err)
		}
		r.Service.Spec.Type = corev1.ServiceTypeClusterIP // no NodePort to collide on
		r.Service.Spec.ExternalTrafficPolicy = ""
		for i := range r.Service.Spec.Ports {
			r.Service.Spec.Ports[i].NodePort = 0
		}
		podspec.OwnService(r.Service, pod)
		if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, r.Service, metav1.CreateOptions{}); err != nil {
			t.Fatalf("creating service %s: %v", r.Service.Name, err)
		}
	}
}

// waitRunning waits (bounded) until these pods run on their kwok nodes.
func waitRunning(t *testing.T, tc *testcluster.Cluster, ns string, names ...string) {
	t.Helper()
	// Generous: kwok slows down when other tests load the cluster.
	deadline := time.Now().Add(120 * time.Second)
	for {
		ps := pods(t, tc, ns)
		ok := true
		for _, n := range names {
			if p := ps[n]; p == nil || p.Status.Phase != corev1.PodRunning {
				ok = false
			}
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("pods %v of %s not Running within 120s", names, ns)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unmanagedNode creates a Node no kubelet (and no kwok) looks after: a pod
// bound to it is never removed after a graceful delete, as on a lost host.
func unmanagedNode(t *testing.T, tc *testcluster.Cluster) string {
	t.Helper()
	name := tc.UniqueName("lc-lost")
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
		corev1.LabelHostname: name, testcluster.TestLabel: "true"}}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Nodes().Create(ctx, n, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = tc.Client.CoreV1().Nodes().Delete(ctx, name, metav1.DeleteOptions{})
	})
	return name
}
