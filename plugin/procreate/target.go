package procreate

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// FakeNodeAnnotation marks a node simulated by kwok: it runs no container,
// so nothing can ever answer on its address.
const FakeNodeAnnotation = "kwok.x-k8s.io/node"

// FakeNode tells whether n is a kwok fake node (kwok.x-k8s.io/node: fake).
func FakeNode(n *corev1.Node) bool {
	return n != nil && n.Annotations[FakeNodeAnnotation] == "fake"
}

// NodeAddress is where a NodePort of the node is reached: its InternalIP,
// else ExternalIP, else its hostname.
func NodeAddress(n *corev1.Node) string {
	for _, t := range []corev1.NodeAddressType{corev1.NodeInternalIP, corev1.NodeExternalIP, corev1.NodeHostName} {
		for _, a := range n.Status.Addresses {
			if a.Type == t && a.Address != "" {
				return a.Address
			}
		}
	}
	return n.Name
}

// Target is one reachability check of a process behind a NodePort: HTTP
// for the local connection server (any answer counts, as in drunc), TCP
// for every other process (the root controller's gRPC port).
type Target struct {
	Process  string
	Node     string
	NodePort int32
	// Addr is <node address>:<node port>.
	Addr string
	HTTP bool
	// Fake: the node is a kwok fake node; nothing can answer there.
	Fake bool
}

// TargetOf is the check of process name behind svc on node; ok is false
// when the service exposes no NodePort (headless: nothing to reach).
func TargetOf(name string, svc *corev1.Service, node *corev1.Node) (t Target, ok bool) {
	port := podspec.NodePort(svc)
	if port == 0 || node == nil {
		return Target{}, false
	}
	return Target{
		Process: name, Node: node.Name, NodePort: port,
		Addr: net.JoinHostPort(NodeAddress(node), strconv.Itoa(int(port))),
		HTTP: (&session.Process{Name: name}).IsLCS(),
		Fake: FakeNode(node),
	}, true
}

// Proto is "HTTP" or "TCP".
func (t Target) Proto() string {
	if t.HTTP {
		return "HTTP"
	}
	return "TCP"
}

// Waiting is what a probe tells while it waits: the target, the time left
// before its deadline, and the last failed attempt.
type Waiting struct {
	Target Target
	Left   time.Duration
	Last   error
}

func (w Waiting) String() string {
	return fmt.Sprintf("%s: waiting for %s on %s (node %s), %s left: %v", w.Target.Process, w.Target.Proto(), w.Target.Addr, w.Target.Node, w.Left.Round(time.Second), w.Last)
}

// Reach checks t within timeout, a deadline of its own (so a slow probe
// never eats another's time), retrying every interval; report, when set,
// hears of each failed attempt. A fake node is not probed: Reach returns
// ErrFakeNode at once.
func Reach(ctx context.Context, t Target, timeout, interval time.Duration, report func(Waiting)) error {
	if t.Fake {
		return ErrFakeNode
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	onFail := func(last error) {
		if report != nil {
			report(Waiting{Target: t, Left: time.Until(deadline), Last: last})
		}
	}
	if t.HTTP {
		return probeHTTP(ctx, t.Addr, interval, onFail)
	}
	return probeTCP(ctx, t.Addr, interval, onFail)
}
