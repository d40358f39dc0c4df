// Package harness proves the local control plane does what every other
// integration test relies on: the scheduler binds a pinned pod, kwok runs it
// and makes it exit on request, the controller-manager garbage-collects
// owned objects and finishes namespace deletions, and kwok serves logs.
package harness

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

// pinnedPod is a pod drunc-style: pinned to a host by kubernetes.io/hostname.
func pinnedPod(name, node string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: node},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: name, Image: "ghcr.io/dune-daq/alma9:latest"}},
		},
	}
}

// waitPod polls the pod until cond holds, failing with what was last seen.
func waitPod(t *testing.T, tc *testcluster.Cluster, ns, name, what string, within time.Duration, cond func(*corev1.Pod) bool) *corev1.Pod {
	t.Helper()
	deadline := time.Now().Add(within)
	var last *corev1.Pod
	var lastErr error
	for time.Now().Before(deadline) {
		p, err := tc.Client.CoreV1().Pods(ns).Get(context.Background(), name, metav1.GetOptions{})
		if err == nil && cond(p) {
			return p
		}
		last, lastErr = p, err
		time.Sleep(50 * time.Millisecond)
	}
	if last == nil {
		t.Fatalf("pod %s/%s: %s not seen within %s: %v", ns, name, what, within, lastErr)
	}
	t.Fatalf("pod %s/%s: %s not seen within %s (node %q, phase %s, conditions %v)",
		ns, name, what, within, last.Spec.NodeName, last.Status.Phase, last.Status.Conditions)
	return nil
}

func running(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning }

func TestPinnedPodIsScheduledAndRuns(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "harness-run")
	nodes := testcluster.NodeNames("np02-srv", 2)
	tc.Nodes(t, nodes...)

	pod, err := tc.Client.CoreV1().Pods(ns).Create(context.Background(), pinnedPod("app", nodes[1]), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Bound by kube-scheduler to the node the selector names (nobody else sets nodeName).
	p := waitPod(t, tc, ns, pod.Name, "scheduled", 30*time.Second, func(p *corev1.Pod) bool { return p.Spec.NodeName != "" })
	if p.Spec.NodeName != nodes[1] {
		t.Fatalf("pod scheduled on %q, want %q (nodeSelector kubernetes.io/hostname)", p.Spec.NodeName, nodes[1])
	}
	// Run by kwok: Running and Ready.
	p = waitPod(t, tc, ns, pod.Name, "Running", 30*time.Second, running)
	ready := false
	for _, c := range p.Status.Conditions {
		ready = ready || (c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue)
	}
	if !ready {
		t.Fatalf("running pod is not Ready: %v", p.Status.Conditions)
	}
}

func TestExitPodReportsExitCode(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "harness-exit")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	for _, name := range []string{"fails", "succeeds"} {
		if _, err := tc.Client.CoreV1().Pods(ns).Create(context.Background(), pinnedPod(name, node), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		waitPod(t, tc, ns, name, "Running", 30*time.Second, running)
	}

	tc.ExitPod(t, ns, "fails", 3)
	tc.ExitPod(t, ns, "succeeds", 0)

	p, err := tc.Client.CoreV1().Pods(ns).Get(context.Background(), "fails", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	term := p.Status.ContainerStatuses[0].State.Terminated
	if p.Status.Phase != corev1.PodFailed || term == nil || term.ExitCode != 3 || term.Reason != "Error" {
		t.Fatalf("pod after ExitPod(3): phase %s, terminated %+v; want Failed, exit code 3, reason Error", p.Status.Phase, term)
	}
	p, err = tc.Client.CoreV1().Pods(ns).Get(context.Background(), "succeeds", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if term := p.Status.ContainerStatuses[0].State.Terminated; p.Status.Phase != corev1.PodSucceeded || term.Reason != "Completed" {
		t.Fatalf("pod after ExitPod(0): phase %s, terminated %+v; want Succeeded, Completed", p.Status.Phase, term)
	}
}

func TestOwnedServiceIsGarbageCollected(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "harness-gc")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	ctx := context.Background()

	pod, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pinnedPod("owner", node), metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "owner", OwnerReferences: []metav1.OwnerReference{{
			APIVersion: "v1", Kind: "Pod", Name: pod.Name, UID: pod.UID, Controller: &yes, BlockOwnerDeletion: &yes,
		}}},
		Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Selector: map[string]string{"app": "owner"},
			Ports: []corev1.ServicePort{{Name: "http", Port: 80}}},
	}
	if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPod(t, tc, ns, pod.Name, "Running", 30*time.Second, running)
	if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, pod.Name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	deadline := time.Now().Add(60 * time.Second)
	for {
		_, err := tc.Client.CoreV1().Services(ns).Get(ctx, svc.Name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("service %s/%s owned by the deleted pod still exists after 60s (err %v): is kube-controller-manager's garbage collector running?", ns, svc.Name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := tc.Client.CoreV1().Pods(ns).Get(ctx, pod.Name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("deleted pod still exists (kwok removes deleted pods from its nodes): %v", err)
	}
}

func TestNamespaceDeletionCompletes(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	ctx := context.Background()

	// Not tc.Namespace: this test waits for the deletion on purpose.
	name := tc.UniqueName("harness-nsdel")
	if _, err := tc.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tc.WaitServiceAccount(t, name)
	if _, err := tc.Client.CoreV1().Pods(name).Create(ctx, pinnedPod("app", node), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPod(t, tc, name, "app", "Running", 30*time.Second, running)
	if err := tc.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		ns, err := tc.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if time.Now().After(deadline) {
			phase := "?"
			if ns != nil {
				phase = string(ns.Status.Phase)
			}
			t.Fatalf("namespace %s still exists 90s after deletion (phase %s, err %v): is kube-controller-manager's namespace controller running?", name, phase, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestKwokServesLogs(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "harness-logs")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	ctx := context.Background()

	log := tc.ServeLogs(t, ns, "app", "app")
	log.Append(t, "first line", "second line")
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pinnedPod("app", node), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPod(t, tc, ns, "app", "Running", 30*time.Second, running)

	// kwok picks the Logs object up through its informer: allow it a moment.
	var got string
	deadline := time.Now().Add(20 * time.Second)
	for {
		one := int64(1)
		b, err := tc.Client.CoreV1().Pods(ns).GetLogs("app", &corev1.PodLogOptions{Container: "app", TailLines: &one}).DoRaw(ctx)
		got = string(b)
		if err == nil && got == "second line\n" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("logs of %s/app with tailLines=1 = %q, %v; want %q (apiserver -> kwok on 127.0.0.1, see %s/logs/kwok.log)", ns, got, err, "second line\n", tc.StateDir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestPluginRuns(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	out, errOut, code := tc.Plugin(t, "version")
	if code != 0 || !strings.Contains(out, "Client Version: ") {
		t.Fatalf("kubectl drunc version: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A user with no rights gets a Forbidden from the real apiserver.
	nobody := tc.UserClient(t, testcluster.UserNobody)
	_, err := nobody.CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{})
	if !apierrors.IsForbidden(err) {
		t.Fatalf("listing pods as %s: err = %v, want Forbidden (RBAC authorization)", testcluster.UserNobody, err)
	}
}
