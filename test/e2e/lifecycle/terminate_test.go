package lifecycle

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestTerminateDeletesTheSessionNamespace: every process killed, the
// namespace (made by boot, with the creator label) gone when it returns.
func TestTerminateDeletesTheSessionNamespace(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)

	stdout, stderr, code := tc.Plugin(t, "terminate", "-n", ns)
	if code != 0 {
		t.Fatalf("terminate exited %d:\n%s", code, stderr)
	}
	for _, p := range threeLevels {
		if !strings.Contains(stdout, p.name) {
			t.Errorf("the table does not list %s", p.name)
		}
	}
	if !strings.Contains(stderr, "namespace "+ns+" deleted") {
		t.Errorf("stderr does not say the namespace was deleted:\n%s", stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s still there after terminate (waits by default): %v", ns, err)
	}
}

// TestTerminateKeepsAForeignNamespace: a namespace without the creator
// label is never deleted; its drunc processes are killed, a foreign pod in
// it is left alone, and the message says why.
func TestTerminateKeepsAForeignNamespace(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "lc-foreign")
	hosts := testcluster.NodeNames("lc-host", 1)
	tc.Nodes(t, hosts...)
	createRendered(t, tc, ns, hosts, []proc{{"root-controller", "0", "drunc-controller", 0}, {"df-01", "0.0", "daq_application", 0}}, nil)
	foreign := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "not-drunc", Labels: map[string]string{"app": "df-01"}},
		Spec: corev1.PodSpec{NodeSelector: map[string]string{corev1.LabelHostname: hosts[0]},
			Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, foreign, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tc, ns, "root-controller", "df-01", "not-drunc")

	_, stderr, code := tc.Plugin(t, "terminate", "-n", ns)
	if code != 0 {
		t.Fatalf("terminate exited %d:\n%s", code, stderr)
	}
	want := "namespace " + ns + " kept: it has no creator.drunc.daq label"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	n, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err != nil || n.DeletionTimestamp != nil {
		t.Fatalf("the foreign namespace was deleted: %v %v", err, n)
	}
	left := pods(t, tc, ns)
	if len(left) != 1 || left["not-drunc"] == nil || left["not-drunc"].DeletionTimestamp != nil {
		t.Errorf("want only the foreign pod left, untouched; got %v", names(left))
	}
}

func names[T any](m map[string]T) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestTerminateRefusesANamespaceThatIsNoSession: a namespace without the
// creator label and without drunc processes is no session: terminate says
// there is nothing to terminate, exit 1, and touches nothing.
func TestTerminateRefusesANamespaceThatIsNoSession(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "lc-plain")
	_, stderr, code := tc.Plugin(t, "terminate", "-n", ns)
	if code != 1 || !strings.Contains(stderr, "is no drunc session") || !strings.Contains(stderr, "nothing to terminate") {
		t.Errorf("terminate -n %s: exit %d, want 1 saying it is no session\n%s", ns, code, stderr)
	}
	n, err := tc.Client.CoreV1().Namespaces().Get(context.Background(), ns, metav1.GetOptions{})
	if err != nil || n.DeletionTimestamp != nil {
		t.Errorf("the namespace was touched: %v %v", err, n.DeletionTimestamp)
	}
}
