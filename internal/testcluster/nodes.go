package testcluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
)

// FakeNodeAnnotation is the annotation kwok manages nodes by (up.sh runs it
// with --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake).
const FakeNodeAnnotation = "kwok.x-k8s.io/node"

// FakeNode returns the Node object of a kwok fake host, as hack/cluster/nodes.sh
// creates it: labelled kubernetes.io/hostname=<name>, no taints, InternalIP
// 127.0.0.1 (so `kubectl logs` reaches kwok on loopback), a big capacity.
func FakeNode(name string) *corev1.Node { return fakeNodeAt(name, "127.0.0.1") }

func fakeNodeAt(name, addr string) *corev1.Node {
	resources := corev1.ResourceList{
		corev1.ResourceCPU:              resource.MustParse("64"),
		corev1.ResourceMemory:           resource.MustParse("256Gi"),
		corev1.ResourcePods:             resource.MustParse("1000"),
		corev1.ResourceEphemeralStorage: resource.MustParse("1Ti"),
		"hugepages-1Gi":                 resource.MustParse("64Gi"),
		"hugepages-2Mi":                 resource.MustParse("8Gi"),
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				corev1.LabelHostname: name, corev1.LabelOSStable: "linux", corev1.LabelArchStable: "amd64",
				"type": "kwok", TestLabel: "true",
			},
			Annotations: map[string]string{FakeNodeAnnotation: "fake", "node.alpha.kubernetes.io/ttl": "0"},
		},
		Status: corev1.NodeStatus{
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: addr},
				{Type: corev1.NodeHostName, Address: name},
			},
			Capacity:    resources,
			Allocatable: resources.DeepCopy(),
		},
	}
}

// Nodes creates kwok fake nodes with these names and waits until all are
// Ready. A node that already exists (a fake one) is shared and left alone at
// cleanup; the nodes this call created are deleted when the test ends, with
// the pods still bound to them. Names are cluster-wide: prefer
// UniqueName("np02-srv") unless a test needs a particular host name.
func (c *Cluster) Nodes(t testing.TB, names ...string) {
	t.Helper()
	c.NodesAt(t, "127.0.0.1", names...)
}

// NodesAt is Nodes with InternalIP addr: a loopback address of a test's own
// (127.x.y.z, see LoopbackAddress) where nothing listens, for a probe that
// must find nothing answering whatever other tests play on 127.0.0.1.
func (c *Cluster) NodesAt(t testing.TB, addr string, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for _, name := range names {
		_, err := c.Client.CoreV1().Nodes().Create(ctx, fakeNodeAt(name, addr), metav1.CreateOptions{})
		switch {
		case err == nil:
			t.Cleanup(func() { c.deleteNode(t, name) })
		case apierrors.IsAlreadyExists(err):
			n, gerr := c.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
			if gerr != nil {
				t.Fatalf("node %s exists but cannot be read: %v", name, gerr)
			}
			if n.Annotations[FakeNodeAnnotation] != "fake" {
				t.Fatalf("node %s exists and is not a kwok fake node (annotation %s=fake missing)", name, FakeNodeAnnotation)
			}
		default:
			t.Fatalf("creating fake node %s: %v", name, err)
		}
	}
	for _, name := range names {
		c.waitNodeReady(t, ctx, name)
	}
}

func (c *Cluster) waitNodeReady(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	var last string
	for {
		n, err := c.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			for _, cond := range n.Status.Conditions {
				if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
					return
				}
			}
			last = fmt.Sprintf("conditions %v", n.Status.Conditions)
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("fake node %s not Ready within 60s (is kwok running? see %s/logs/kwok.log): %s", name, c.StateDir, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (c *Cluster) deleteNode(t testing.TB, name string) {
	if t.Failed() && keep() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// Without a kubelet, pods of a deleted node would stay Terminating until
	// the pod GC's orphan quarantine ends; remove them now.
	pods, err := c.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{
		FieldSelector: fields.OneTermEqualSelector("spec.nodeName", name).String(),
	})
	if err == nil {
		zero := int64(0)
		for _, p := range pods.Items {
			_ = c.Client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
		}
	}
	if err := c.Client.CoreV1().Nodes().Delete(ctx, name, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("deleting fake node %s: %v", name, err)
	}
}

// NodeNames returns n unique fake-node names with this prefix (not created).
func NodeNames(prefix string, n int) []string {
	base := UniqueName(strings.TrimSuffix(prefix, "-"))
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%03d", base, i+1)
	}
	return names
}

// LoopbackAddress draws an address of 127.0.0.0/8 other than 127.0.0.1
// (Linux answers on all of them; servers bound to 127.0.0.1 do not).
func LoopbackAddress() string {
	return fmt.Sprintf("127.%d.%d.%d", 1+rand.IntN(254), rand.IntN(256), 1+rand.IntN(254))
}
