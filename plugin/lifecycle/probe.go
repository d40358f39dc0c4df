package lifecycle

import (
	"context"
	"fmt"
	"net"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootexec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// probeRecreated checks, as boot does after Ready, that a recreated process
// behind a NodePort answers on <node address>:<node port>: HTTP for the
// local connection server, TCP for the root controller (and any other
// process with a NodePort). Headless processes have nothing to reach.
func probeRecreated(ctx context.Context, cfg Config, rc *Recreated, svc *corev1.Service, o RestartOptions) error {
	port := podspec.NodePort(svc)
	if port == 0 || rc.Pod == nil {
		return nil
	}
	nodeName := rc.Pod.Spec.NodeName
	if p := cfg.Cache.Get(rc.Session, rc.Name); p != nil && p.UID == rc.Pod.UID && p.Spec.NodeName != "" {
		nodeName = p.Spec.NodeName
	}
	node, err := cfg.Client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if err != nil {
		return fmt.Errorf("%s/%s is Ready, but its node %q cannot be read to check it answers: %w", rc.Session, rc.Name, nodeName, err)
	}
	addr := net.JoinHostPort(nodeAddress(node), strconv.Itoa(int(port)))
	probe, proto := bootexec.ProbeTCP, "TCP"
	if (&session.Process{Name: rc.Name}).IsLCS() {
		probe, proto = bootexec.ProbeHTTP, "HTTP"
	}
	if err := probe(ctx, addr, o.probeInterval()); err != nil {
		return fmt.Errorf("%s/%s is Ready but does not answer %s on %s (node %s, NodePort %d; use --no-probe if node addresses are not reachable from here): %v",
			rc.Session, rc.Name, proto, addr, nodeName, port, err)
	}
	return nil
}

// nodeAddress is where a NodePort of the node is reached, as boot reaches
// it: its InternalIP, else ExternalIP, else its hostname.
func nodeAddress(n *corev1.Node) string {
	for _, t := range []corev1.NodeAddressType{corev1.NodeInternalIP, corev1.NodeExternalIP, corev1.NodeHostName} {
		for _, a := range n.Status.Addresses {
			if a.Type == t && a.Address != "" {
				return a.Address
			}
		}
	}
	return n.Name
}
