package examples

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// fixtureSession is the session the --help examples name; fixtureSize is
// the number of processes in testdata/run42.yaml.
const (
	fixtureSession = "run42"
	fixtureSize    = 6
)

// ensureFixture makes sure session run42 exists with every process Ready,
// booting it again when an earlier example killed, flushed, restarted or
// terminated something. Processes get a log (hack/fake-logs.sh).
func (r *runner) ensureFixture(t *testing.T) {
	t.Helper()
	if r.fixtureHealthy(t) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	ns, err := r.tc.Client.CoreV1().Namespaces().Get(ctx, fixtureSession, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		t.Fatalf("reading namespace %s: %v", fixtureSession, err)
	case ns.DeletionTimestamp == nil:
		if _, errOut, code := r.tc.Plugin(t, "terminate", "-n", fixtureSession, "--force"); code != 0 {
			t.Fatalf("terminating the fixture session: exit %d\n%s", code, errOut)
		}
	default:
		r.waitGone(t, ctx)
	}
	if _, errOut, code := r.tc.Plugin(t, "boot", "-f", filepath.Join(r.root, "test", "e2e", "examples", "testdata", "run42.yaml"),
		"--no-probe", "--timeout", "1m"); code != 0 {
		t.Fatalf("booting the fixture session %s: exit %d\n%s", fixtureSession, code, errOut)
	}
	if out, code := r.shell(t, ctx, "hack/fake-logs.sh "+fixtureSession); code != 0 {
		t.Fatalf("hack/fake-logs.sh %s: exit %d\n%s", fixtureSession, code, out)
	}
}

// fixtureHealthy: every process of the fixture exists, runs and is Ready.
func (r *runner) fixtureHealthy(t *testing.T) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pods, err := r.tc.Client.CoreV1().Pods(fixtureSession).List(ctx, metav1.ListOptions{LabelSelector: "creator.drunc.daq"})
	if err != nil || len(pods.Items) != fixtureSize {
		return false
	}
	for _, p := range pods.Items {
		if p.DeletionTimestamp != nil || p.Status.Phase != corev1.PodRunning || !ready(&p) {
			return false
		}
	}
	return true
}

// waitGone waits (bounded by ctx) until a terminating fixture namespace is gone.
func (r *runner) waitGone(t *testing.T, ctx context.Context) {
	t.Helper()
	for {
		_, err := r.tc.Client.CoreV1().Namespaces().Get(ctx, fixtureSession, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("namespace %s still there after 3 minutes", fixtureSession)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func ready(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return true
		}
	}
	return false
}

// hooks prepare the cluster for an example whose outcome depends on what
// happens to the processes: before it runs, or while it runs.
type hook struct {
	before func(t *testing.T, tc *testcluster.Cluster)
	during func(t *testing.T, tc *testcluster.Cluster)
}

var hooks = map[string]hook{
	// Waits for the readout applications (not ru-controller) to finish
	// cleanly: make them exit 0.
	"kubectl drunc wait -n run42 '^ru-[0-9]' --for=exit=0": {before: func(t *testing.T, tc *testcluster.Cluster) {
		for _, name := range []string{"ru-01", "ru-02"} {
			tc.ExitPod(t, fixtureSession, name, 0)
		}
	}},
	// Waits until root-controller is gone: delete it while the wait runs.
	"kubectl drunc wait -n run42 root-controller --for=deleted": {during: func(t *testing.T, tc *testcluster.Cluster) {
		time.Sleep(time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := tc.Client.CoreV1().Pods(fixtureSession).Delete(ctx, "root-controller", metav1.DeleteOptions{}); err != nil {
			t.Errorf("deleting root-controller: %v", err)
		}
	}},
}
