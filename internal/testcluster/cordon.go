package testcluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// CordonNode marks a node unschedulable, as `kubectl cordon` does. Use it
// on the test's own nodes (Nodes) only: the cluster is shared.
func (c *Cluster) CordonNode(t testing.TB, name string) {
	t.Helper()
	c.setUnschedulable(t, name, true)
}

// UncordonNode makes a node schedulable again, as `kubectl uncordon` does.
func (c *Cluster) UncordonNode(t testing.TB, name string) {
	t.Helper()
	c.setUnschedulable(t, name, false)
}

func (c *Cluster) setUnschedulable(t testing.TB, name string, on bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	patch := []byte(fmt.Sprintf(`{"spec":{"unschedulable":%t}}`, on))
	if _, err := c.Client.CoreV1().Nodes().Patch(ctx, name, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatalf("setting node %s unschedulable=%t: %v", name, on, err)
	}
}

// LoseNode makes a fake node a lost host at once: SilenceNode (kwok stops
// renewing it), then its Ready condition set to Unknown as the node
// lifecycle controller does after its grace period, which on this machine
// can lag for minutes. The controller then marks the node's pods not Ready
// in its own time. Use it on the test's own nodes (Nodes) only.
func (c *Cluster) LoseNode(t testing.TB, name string) {
	t.Helper()
	c.SilenceNode(t, name)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		node, err := c.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("losing node %s: %v", name, err)
		}
		now := metav1.Now()
		for i := range node.Status.Conditions {
			if cond := &node.Status.Conditions[i]; cond.Type == corev1.NodeReady {
				cond.Status, cond.Reason, cond.Message = corev1.ConditionUnknown, "NodeStatusUnknown", "Kubelet stopped posting node status."
				cond.LastHeartbeatTime, cond.LastTransitionTime = now, now
			}
		}
		_, err = c.Client.CoreV1().Nodes().UpdateStatus(ctx, node, metav1.UpdateOptions{})
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("losing node %s: updating its status: %v", name, err)
		}
		time.Sleep(100 * time.Millisecond) // a conflict: read again
	}
}
