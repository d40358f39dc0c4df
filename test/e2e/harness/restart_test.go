package harness

import (
	"context"
	"testing"
	"time"

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
