package testcluster

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SilencedHolder is the holder identity SilenceNode puts on a node's Lease.
const SilencedHolder = "drunc-test-silenced"

// NodeMonitorGracePeriod is how long the controller-manager of the test
// cluster waits without a node heartbeat before marking the node Unknown
// and its pods not Ready (hack/cluster/up.sh).
const NodeMonitorGracePeriod = 90 * time.Second

// SilenceNode makes a fake node behave like a host whose kubelet died: kwok
// stops renewing its Lease and stops touching its pods, so after
// NodeMonitorGracePeriod the node lifecycle controller marks the node
// Unknown/NotReady and its pods not Ready, as on a real cluster.
//
// kwok (0.8) keeps managing a node whose kwok.x-k8s.io/node annotation is
// removed, so that does not silence it; taking its Lease over with another
// holder does: kwok only acquires a Lease that has expired.
func (c *Cluster) SilenceNode(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	leases := c.Client.CoordinationV1().Leases(corev1.NamespaceNodeLease)
	for {
		lease, err := leases.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("silencing node %s: reading its Lease (kwok makes one per node when run with --node-lease-duration-seconds, see hack/cluster/up.sh): %v", name, err)
			}
			time.Sleep(100 * time.Millisecond)
			continue
		}
		holder, day := SilencedHolder, int32(24*3600)
		lease.Spec.HolderIdentity = &holder
		lease.Spec.LeaseDurationSeconds = &day
		now := metav1.NewMicroTime(time.Now())
		lease.Spec.RenewTime = &now
		_, err = leases.Update(ctx, lease, metav1.UpdateOptions{})
		if err == nil {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("silencing node %s: updating its Lease: %v", name, err)
		}
		time.Sleep(100 * time.Millisecond) // a conflict with kwok's renewal: read again
	}
}
