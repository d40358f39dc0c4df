package reliability

import (
	"context"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/client-go/util/retry"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// kubelet plays, from the test, the kubelet of one node that kwok does not
// manage: it posts the node Ready, renews the node's Lease every 2 s, and
// reports the pods bound to it Running and Ready. die stops it as a
// crashed kubelet stops: nothing is reported any more, and the node
// lifecycle controller takes over after its grace period. (kwok cannot be
// told to stop one node: it keeps renewing the Lease of a node it no
// longer manages.)
type kubelet struct {
	tc   *testcluster.Cluster
	node string
	stop chan struct{}
	done chan struct{}
}

func startKubelet(t *testing.T, tc *testcluster.Cluster, name string) *kubelet {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	node := testcluster.FakeNode(name)
	delete(node.Annotations, testcluster.FakeNodeAnnotation)
	_, err := tc.Client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := &kubelet{tc: tc, node: name, stop: make(chan struct{}), done: make(chan struct{})}
	// Renewing starts at once (the Lease is created below), so the cleanup's
	// die never waits for a goroutine that a failed start did not launch.
	go k.renew()
	t.Cleanup(func() {
		k.die()
		zero := int64(0)
		c := context.Background()
		list, _ := tc.Client.CoreV1().Pods("").List(c, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("spec.nodeName", name).String()})
		if list != nil {
			for _, p := range list.Items {
				_ = tc.Client.CoreV1().Pods(p.Namespace).Delete(c, p.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
			}
		}
		_ = tc.Client.CoreV1().Nodes().Delete(c, name, metav1.DeleteOptions{})
		_ = tc.Client.CoordinationV1().Leases("kube-node-lease").Delete(c, name, metav1.DeleteOptions{})
	})
	// The node controller writes to a new node too: retry on conflicts.
	err = retry.RetryOnConflict(retry.DefaultBackoff, func() error {
		cur, err := tc.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		now := metav1.Now()
		cur.Status.Addresses, cur.Status.Capacity, cur.Status.Allocatable = node.Status.Addresses, node.Status.Capacity, node.Status.Allocatable
		cur.Status.Conditions = []corev1.NodeCondition{{
			Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady", Message: "test kubelet is posting ready status",
			LastHeartbeatTime: now, LastTransitionTime: now,
		}}
		_, err = tc.Client.CoreV1().Nodes().UpdateStatus(ctx, cur, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("posting node %s Ready: %v", name, err)
	}
	holder, seconds := name, int32(40)
	lease := &coordinationv1.Lease{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "kube-node-lease"},
		Spec:       coordinationv1.LeaseSpec{HolderIdentity: &holder, LeaseDurationSeconds: &seconds, RenewTime: &metav1.MicroTime{Time: time.Now()}},
	}
	if _, err := tc.Client.CoordinationV1().Leases("kube-node-lease").Create(ctx, lease, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The controller taints a node until it has seen it Ready.
	eventually(t, 60*time.Second, "node "+name+" Ready without taints", func() (bool, string) {
		n, err := tc.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, err.Error()
		}
		return len(n.Spec.Taints) == 0, "taints present"
	})
	return k
}

// renew renews the Lease until die (bounded by the stop channel).
func (k *kubelet) renew() {
	defer close(k.done)
	tick := time.NewTicker(2 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-k.stop:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		l, err := k.tc.Client.CoordinationV1().Leases("kube-node-lease").Get(ctx, k.node, metav1.GetOptions{})
		if err == nil { // not created yet: next tick
			l.Spec.RenewTime = &metav1.MicroTime{Time: time.Now()}
			_, _ = k.tc.Client.CoordinationV1().Leases("kube-node-lease").Update(ctx, l, metav1.UpdateOptions{})
		}
		cancel()
	}
}

// die stops the kubelet (idempotent).
func (k *kubelet) die() {
	select {
	case <-k.stop:
	default:
		close(k.stop)
	}
	<-k.done
}

// runPods reports every pod bound to the node Running and Ready.
func (k *kubelet) runPods(t *testing.T, ns string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	list, err := k.tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("spec.nodeName", k.node).String()})
	if err != nil {
		t.Fatal(err)
	}
	for i := range list.Items {
		p := &list.Items[i]
		now := metav1.Now()
		p.Status.Phase = corev1.PodRunning
		p.Status.HostIP, p.Status.StartTime = "127.0.0.1", &now
		p.Status.Conditions = nil
		for _, c := range []corev1.PodConditionType{corev1.PodScheduled, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady} {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: c, Status: corev1.ConditionTrue, LastTransitionTime: now})
		}
		p.Status.ContainerStatuses = nil
		for _, c := range p.Spec.Containers {
			started := true
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
				Name: c.Name, Image: c.Image, Ready: true, Started: &started,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
			})
		}
		if _, err := k.tc.Client.CoreV1().Pods(ns).UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
			t.Fatalf("reporting %s/%s running: %v", ns, p.Name, err)
		}
	}
}
