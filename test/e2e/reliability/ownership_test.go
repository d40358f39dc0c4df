package reliability

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// TestForeignObjectsSurviveEveryVerb plants pods and services without
// drunc's creator label — some wearing every other drunc label and a
// process name the selections match — in a drunc session namespace and in
// a namespace drunc did not make, then runs flush -A, restart, kill -A and
// terminate over them. Only drunc's own objects may change. terminate
// refuses the namespace drunc did not make (no creator label, and kill -A
// left no drunc process in it: nothing to terminate) and keeps the session
// namespace, which still holds foreign objects, saying why.
func TestForeignObjectsSurviveEveryVerb(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("own", 1)
	tc.Nodes(t, hosts...)
	tok := tc.UniqueName("own") // in every process name: -A selections match only this test's
	sess := tok
	procs := []proc{
		{name: "root-controller", treeID: "0", host: hosts[0]},
		{name: tok + "-a", treeID: "0.0", host: hosts[0]},
		{name: tok + "-b", treeID: "0.1", host: hosts[0]},
		{name: tok + "-c", treeID: "0.2", host: hosts[0]},
	}
	boot(t, tc, sess, procs)
	other := tc.Namespace(t, "own-foreign-ns") // no creator label

	// Foreign objects: look-alikes of drunc processes without the creator label.
	planted := []planted{
		plantPod(t, tc, sess, tok+"-foreign", hosts[0], false),
		plantPod(t, tc, sess, tok+"-foreign-exited", hosts[0], false),
		plantService(t, tc, sess, tok+"-foreign"),
		plantPod(t, tc, other, tok+"-x", hosts[0], false),
		plantService(t, tc, other, tok+"-x"),
	}
	// A drunc process (as drunc's Python manager leaves one) in the foreign namespace.
	plantPod(t, tc, other, tok+"-d", hosts[0], true)
	tc.ExitPod(t, sess, tok+"-foreign-exited", 1)
	tc.ExitPod(t, sess, tok+"-b", 1)
	for i := range planted {
		planted[i].snapshot(t, tc)
	}

	steps := [][]string{
		{"flush", "-A", tok},
		{"restart", "-n", sess, tok + "-a", "--timeout=60s"},
		{"kill", "-A", tok, "--timeout=60s"},
		{"terminate", "-n", other, "--timeout=60s"},
		{"terminate", "-n", sess, "--timeout=60s"},
	}
	var terminateOut []string
	for _, args := range steps {
		out, stderr, code := tc.Plugin(t, args...)
		want := 0
		if args[0] == "terminate" && args[2] == other {
			want = 1 // nothing to terminate
		}
		if code != want {
			t.Errorf("kubectl drunc %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, stderr)
		}
		if args[0] == "terminate" {
			terminateOut = append(terminateOut, stderr)
		}
		for _, p := range planted {
			p.check(t, tc, strings.Join(args, " "))
		}
	}

	// drunc's own objects did change: flushed, killed.
	if left := pods(t, tc, sess); left[tok+"-b"] != nil || left[tok+"-a"] != nil || left[tok+"-c"] != nil {
		t.Errorf("drunc processes left in %s after kill -A: %v", sess, sortedKeys(left))
	}
	if left := pods(t, tc, other); left[tok+"-d"] != nil {
		t.Errorf("the drunc process %s-d in the foreign namespace survived kill -A", tok)
	}
	for _, ns := range []string{other, sess} {
		if gone, _ := namespaceGone(t, tc, ns); gone {
			t.Errorf("terminate deleted namespace %s and the foreign objects in it", ns)
		}
	}
	if !strings.Contains(terminateOut[0], "is no drunc session") || !strings.Contains(terminateOut[0], "nothing to terminate") {
		t.Errorf("terminate -n %s does not say there is nothing to terminate:\n%s", other, terminateOut[0])
	}
	if !strings.Contains(terminateOut[1], "namespace "+sess+" kept") || !strings.Contains(terminateOut[1], "pod/"+tok+"-foreign") {
		t.Errorf("terminate -n %s does not say its namespace was kept for the foreign pod:\n%s", sess, terminateOut[1])
	}
}

// planted is a foreign object and what it looked like before the verbs.
type planted struct {
	kind, ns, name string
	uid            string
	labels         map[string]string
	annotations    map[string]string
}

func plantPod(t *testing.T, tc *testcluster.Cluster, ns, name, host string, drunc bool) planted {
	t.Helper()
	labels := map[string]string{
		session.AppLabel: name, keys.UUID(): "00000000-0000-0000-0000-" + strings.Repeat("0", 12),
		keys.Role(): string(session.RoleApplication), keys.TreeID(): "0.9",
	}
	if drunc {
		labels[keys.Creator()] = session.CreatorValue
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels, Annotations: map[string]string{"owner": "someone-else"}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: host},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "main", Image: "busybox", Command: []string{"sleep", "infinity"}}},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatalf("planting pod %s/%s: %v", ns, name, err)
	}
	eventually(t, 30*time.Second, "planted pod "+name+" Running", func() (bool, string) {
		p := pods(t, tc, ns)[name]
		return p != nil && p.Status.Phase == corev1.PodRunning, "not Running"
	})
	return planted{kind: "pod", ns: ns, name: name}
}

func plantService(t *testing.T, tc *testcluster.Cluster, ns, name string) planted {
	t.Helper()
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{session.AppLabel: name}, Annotations: map[string]string{"owner": "someone-else"}},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{session.AppLabel: name},
			Ports:    []corev1.ServicePort{{Port: 8080, TargetPort: intstr.FromInt32(8080)}},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatalf("planting service %s/%s: %v", ns, name, err)
	}
	return planted{kind: "service", ns: ns, name: name}
}

func (p *planted) get(t *testing.T, tc *testcluster.Cluster) (metav1.Object, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if p.kind == "pod" {
		return tc.Client.CoreV1().Pods(p.ns).Get(ctx, p.name, metav1.GetOptions{})
	}
	return tc.Client.CoreV1().Services(p.ns).Get(ctx, p.name, metav1.GetOptions{})
}

func (p *planted) snapshot(t *testing.T, tc *testcluster.Cluster) {
	t.Helper()
	obj, err := p.get(t, tc)
	if err != nil {
		t.Fatal(err)
	}
	p.uid, p.labels, p.annotations = string(obj.GetUID()), obj.GetLabels(), obj.GetAnnotations()
}

// check fails the test if the object is gone, replaced, being deleted, or
// relabelled/annotated since the snapshot.
func (p *planted) check(t *testing.T, tc *testcluster.Cluster, after string) {
	t.Helper()
	obj, err := p.get(t, tc)
	switch {
	case apierrors.IsNotFound(err):
		t.Errorf("after %s: foreign %s %s/%s was deleted", after, p.kind, p.ns, p.name)
	case err != nil:
		t.Errorf("after %s: reading foreign %s %s/%s: %v", after, p.kind, p.ns, p.name, err)
	case string(obj.GetUID()) != p.uid:
		t.Errorf("after %s: foreign %s %s/%s was replaced", after, p.kind, p.ns, p.name)
	case obj.GetDeletionTimestamp() != nil:
		t.Errorf("after %s: foreign %s %s/%s is being deleted", after, p.kind, p.ns, p.name)
	case !equalMaps(obj.GetLabels(), p.labels) || !equalMaps(obj.GetAnnotations(), p.annotations):
		t.Errorf("after %s: foreign %s %s/%s was modified: labels %v annotations %v", after, p.kind, p.ns, p.name, obj.GetLabels(), obj.GetAnnotations())
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}
