package ps

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestNodeLost: when a process's node stops reporting, the node lifecycle
// controller marks its pod not Ready; ps shows NodeLost and wait --for=ready
// fails naming it, with the NodeNotReady event. The node is made to stop
// reporting by taking it from kwok and setting its Ready condition to
// Unknown, as the controller itself does after the grace period; kwok does
// not touch the other node's process.
func TestNodeLost(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-lost", 2)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "ps-lost")
	tc.WaitServiceAccount(t, ns)
	createPod(t, tc, ns, pythonPod("ru-01", "0.0", hosts[0], "alice"))
	createPod(t, tc, ns, pythonPod("df-01", "0.1", hosts[1], "alice"))
	waitReady(t, tc, ns, 2)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// kwok manages the nodes carrying its annotation: without it, nobody
	// renews this node's status.
	patch := `{"metadata":{"annotations":{"` + testcluster.FakeNodeAnnotation + `":null}}}`
	if _, err := tc.Client.CoreV1().Nodes().Patch(ctx, hosts[0], types.MergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	node, err := tc.Client.CoreV1().Nodes().Get(ctx, hosts[0], metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now := metav1.Now()
	for i := range node.Status.Conditions {
		if c := &node.Status.Conditions[i]; c.Type == corev1.NodeReady {
			c.Status, c.Reason, c.Message = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status."
			c.LastHeartbeatTime, c.LastTransitionTime = now, now
		}
	}
	if _, err := tc.Client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}

	// The node lifecycle controller reacts to that within its monitor
	// period by setting the pod's Ready condition to False (only that one)
	// and recording a NodeNotReady event; on this loaded machine it can lag
	// for minutes, so the test does the same itself (MarkPodsNotReady in
	// k8s.io/kubernetes/pkg/controller/util/node) if it has not happened.
	time.Sleep(10 * time.Second)
	markNotReady(t, tc, ns, "ru-01")

	var out string
	for deadline := time.Now().Add(60 * time.Second); ; {
		out = ps(t, tc, "-n", ns)
		if strings.Contains(out, "NodeLost") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ps never showed NodeLost within 60s:\n%s", out)
		}
		time.Sleep(time.Second)
	}
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, "ru-01") && !strings.Contains(l, "NodeLost"):
			t.Errorf("ru-01 (lost node) is not NodeLost: %q", l)
		case strings.Contains(l, "df-01") && !strings.Contains(l, "Running"):
			t.Errorf("df-01 (healthy node) is not Running: %q", l)
		}
	}

	_, errOut, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=5s")
	if code != 2 {
		t.Fatalf("wait --for=ready: exit %d, want 2\n%s", code, errOut)
	}
	for _, want := range []string{"1 of 2 processes to be ready", ns + "/ru-01: NodeLost", "last event NodeNotReady"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("wait's message lacks %q:\n%s", want, errOut)
		}
	}
}

// markNotReady does what the node lifecycle controller does to the pods of
// a node that stopped reporting, unless it already did.
func markNotReady(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pod, err := tc.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pod.Status.Conditions {
		c := &pod.Status.Conditions[i]
		if c.Type != corev1.PodReady {
			continue
		}
		if c.Status != corev1.ConditionTrue {
			return // the controller was first
		}
		c.Status, c.LastTransitionTime = corev1.ConditionFalse, metav1.Now()
	}
	if _, err := tc.Client.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	tc.PodEvent(t, pod, corev1.EventTypeWarning, "NodeNotReady", "Node is not ready", "node-controller")
}
