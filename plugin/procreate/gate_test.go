package procreate

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// gatePod is a drunc process pod, Ready or not.
func gatePod(name string, ready bool) *corev1.Pod {
	k := session.Keys("")
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: name,
		Labels: map[string]string{k.Creator(): session.CreatorValue, k.UUID(): "u-" + name}},
		Spec: corev1.PodSpec{NodeName: "n1", Containers: []corev1.Container{{Name: name}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending,
			ContainerStatuses: []corev1.ContainerStatus{{Name: name, State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}}}}}
	if ready {
		p.Status.Phase = corev1.PodRunning
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
		p.Status.ContainerStatuses[0] = corev1.ContainerStatus{Name: name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}
	}
	return p
}

// nodePortService exposes name on the port of addr (host:port).
func nodePortService(t *testing.T, name, addr string) *corev1.Service {
	t.Helper()
	_, port, _ := net.SplitHostPort(addr)
	n, err := strconv.Atoi(port)
	if err != nil {
		t.Fatal(err)
	}
	return &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: name},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Ports: []corev1.ServicePort{{Port: int32(n), NodePort: int32(n)}}}}
}

func loopbackNode(kwok bool) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"},
		Status: corev1.NodeStatus{Addresses: []corev1.NodeAddress{{Type: corev1.NodeInternalIP, Address: "127.0.0.1"}}}}
	if kwok {
		n.Annotations = map[string]string{FakeNodeAnnotation: "fake"}
	}
	return n
}

func gateCache(t *testing.T, pods ...*corev1.Pod) *informers.Cache {
	t.Helper()
	c := fake.NewClientset()
	for _, p := range pods {
		if _, err := c.CoreV1().Pods(p.Namespace).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cache, err := informers.Start(ctx, informers.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	return cache
}

// TestGatePassesOnceReadyAndAnswering: Ready, then the probe of a process
// behind a NodePort (TCP: not the connection server) on its node.
func TestGatePassesOnceReadyAndAnswering(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cache := gateCache(t, gatePod("root-controller", true))
	g := Gate{Cache: cache, Probe: true, Interval: 20 * time.Millisecond, ReadyTimeout: 5 * time.Second, ProbeTimeout: 5 * time.Second,
		Node: func(context.Context, Member) (*corev1.Node, error) { return loopbackNode(false), nil }}
	res := g.Pass(context.Background(), []Member{{Namespace: "s", Name: "root-controller", Service: nodePortService(t, "root-controller", l.Addr().String())}})
	if !res.Passed() || len(res.Probed) != 1 || res.Probed[0].Target.Proto() != "TCP" || res.Probed[0].Skipped {
		t.Fatalf("gate of a Ready, answering root controller: %+v", res)
	}
}

// TestGateFails: not Ready within its bound; Ready but not answering; and
// on a fake node, skipped (nothing runs there) unless ProbeFakeNodes.
func TestGateFails(t *testing.T) {
	closed := freeAddr(t)
	node := func(kwok bool) func(context.Context, Member) (*corev1.Node, error) {
		return func(context.Context, Member) (*corev1.Node, error) { return loopbackNode(kwok), nil }
	}
	cache := gateCache(t, gatePod("local-connection-server", true), gatePod("root-controller", false))
	lcs := []Member{{Namespace: "s", Name: "local-connection-server", Service: nodePortService(t, "local-connection-server", closed)}}

	res := Gate{Cache: cache, ReadyTimeout: 200 * time.Millisecond}.Pass(context.Background(), []Member{{Namespace: "s", Name: "root-controller"}})
	var werr *waitfor.Error
	if res.Passed() || !errors.As(res.NotReady, &werr) || werr.Reason != waitfor.Timeout {
		t.Errorf("a root controller never Ready: NotReady = %v, want a timeout", res.NotReady)
	}

	res = Gate{Cache: cache, Probe: true, Interval: 20 * time.Millisecond, ProbeTimeout: 200 * time.Millisecond, Node: node(false)}.Pass(context.Background(), lcs)
	if res.Passed() || len(res.Probed) != 1 || res.Probed[0].Err == nil || !res.Probed[0].Target.HTTP {
		t.Errorf("an LCS that does not answer passed: %+v", res)
	}
	if !errors.Is(res.Probed[0].Err, context.DeadlineExceeded) {
		t.Errorf("probe error %v does not unwrap to its deadline", res.Probed[0].Err)
	}

	res = Gate{Cache: cache, Probe: true, Node: node(true)}.Pass(context.Background(), lcs)
	if !res.Passed() || len(res.Probed) != 1 || !res.Probed[0].Skipped {
		t.Errorf("an LCS on a fake node was probed: %+v", res)
	}
	res = Gate{Cache: cache, Probe: true, ProbeFakeNodes: true, Interval: 20 * time.Millisecond, ProbeTimeout: 200 * time.Millisecond, Node: node(true)}.Pass(context.Background(), lcs)
	if res.Passed() || res.Probed[0].Skipped {
		t.Errorf("ProbeFakeNodes did not probe the fake node: %+v", res)
	}
}
