package harness

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// A private cluster survives an apiserver restart with its state: what
// existed before is still there, and new pods still get scheduled and run.
func TestPrivateClusterSurvivesAPIServerRestart(t *testing.T) {
	t.Parallel()
	tc := testcluster.Private(t, "np02-srv-001")
	ns := tc.Namespace(t, "harness-restart")
	ctx := context.Background()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pinnedPod("before", "np02-srv-001"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPod(t, tc, ns, "before", "Running", 30*time.Second, running)

	tc.RestartAPIServer(t)

	if _, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "before", metav1.GetOptions{}); err != nil {
		t.Fatalf("pod created before the restart: %v", err)
	}
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pinnedPod("after", "np02-srv-001"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPod(t, tc, ns, "after", "Running", 60*time.Second, running)
}

// The shared cluster refuses to be restarted: other tests use it.
func TestSharedClusterRefusesRestart(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		tc.RestartAPIServer(ft)
	}()
	if !ft.failed {
		t.Fatal("RestartAPIServer on the shared cluster did not fail the test")
	}
}

// fatalRecorder records Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

// A silenced node (its kubelet "died") is marked NotReady by the node
// lifecycle controller and its pods lose Ready, while another node stays fine.
func TestSilencedNodeGoesNotReady(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "harness-silence")
	nodes := testcluster.NodeNames("silence", 2)
	tc.Nodes(t, nodes...)
	ctx := context.Background()
	for i, node := range nodes {
		name := []string{"lost", "fine"}[i]
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pinnedPod(name, node), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitPod(t, tc, ns, name, "Running", 30*time.Second, running)
	}

	tc.SilenceNode(t, nodes[0])

	notReady := func(p *corev1.Pod) bool {
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodReady {
				return c.Status != corev1.ConditionTrue
			}
		}
		return false
	}
	waitPod(t, tc, ns, "lost", "not Ready after its node went silent", testcluster.NodeMonitorGracePeriod+60*time.Second, notReady)
	node, err := tc.Client.CoreV1().Nodes().Get(ctx, nodes[0], metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
			t.Fatalf("silenced node %s is still Ready: %+v", nodes[0], c)
		}
	}
	if p, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "fine", metav1.GetOptions{}); err != nil || notReady(p) {
		t.Fatalf("pod on the node that was not silenced: err %v, conditions %v", err, p.Status.Conditions)
	}
}
