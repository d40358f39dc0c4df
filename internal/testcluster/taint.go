package testcluster

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
)

// TaintNode adds taint to a node, as `kubectl taint nodes NAME k=v:Effect`
// does. Use it on the test's own nodes (Nodes) only: the cluster is shared.
func (c *Cluster) TaintNode(t testing.TB, name string, taint corev1.Taint) {
	t.Helper()
	c.updateTaints(t, name, func(taints []corev1.Taint) []corev1.Taint { return append(taints, taint) })
}

// UntaintNode removes the node's taints with key, as `kubectl taint nodes
// NAME k-` does.
func (c *Cluster) UntaintNode(t testing.TB, name, key string) {
	t.Helper()
	c.updateTaints(t, name, func(taints []corev1.Taint) []corev1.Taint {
		kept := taints[:0]
		for _, tt := range taints {
			if tt.Key != key {
				kept = append(kept, tt)
			}
		}
		return kept
	})
}

// updateTaints rewrites the node's taints; taints is a list a merge patch
// would replace whole, so it reads and updates (again on a conflict, as the
// node lifecycle controller edits taints too).
func (c *Cluster) updateTaints(t testing.TB, name string, edit func([]corev1.Taint) []corev1.Taint) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		n, err := c.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		n.Spec.Taints = edit(n.Spec.Taints)
		_, err = c.Client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("editing the taints of node %s: %v", name, err)
	}
}
