package bootexec

import (
	"context"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// HeldPort is a NodePort a process wants that another service holds.
type HeldPort struct {
	Port    int32
	Process string
	// Session and Service hold the port now (Session is the namespace).
	Session, Service string
}

// NodePortsError: NodePorts the session needs are held by other services;
// nothing was created.
type NodePortsError struct {
	Session string
	Held    []HeldPort
}

func (e *NodePortsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot boot session %q: %d NodePort(s) it needs are already held, nothing was created:", e.Session, len(e.Held))
	for _, h := range e.Held {
		// "provided port is already allocated" is the API's own wording for it.
		fmt.Fprintf(&b, "\n  NodePort %d of process %q: provided port is already allocated, to service %q of session %q (kubectl drunc terminate -n %s frees it, or give the process another port)",
			h.Port, h.Process, h.Service, h.Session, h.Session)
	}
	return b.String()
}

// checkNodePorts finds, before anything is written, the NodePorts of the
// session that a Service elsewhere in the cluster already holds (one LIST
// of every service, served from the apiserver's cache). The session's own
// namespace is left to the namespace lock. When listing services
// cluster-wide is forbidden (a namespace-scoped grant), note says the
// ports were not checked and the boot goes on: the API then refuses a held
// port when its service is created.
func checkNodePorts(ctx context.Context, b *booter) (note string, err error) {
	want := map[int32]string{}
	for _, p := range b.objs.Processes {
		if port := podspec.NodePort(p.Service); port != 0 {
			want[port] = p.Process.Name
		}
	}
	if len(want) == 0 {
		return "", nil
	}
	list, err := b.cfg.Client.CoreV1().Services(metav1.NamespaceAll).List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	switch {
	case apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err):
		return "NodePorts not checked up front (listing services in all namespaces is not allowed); a port already held is refused when its service is created", nil
	case err != nil:
		return "", fmt.Errorf("cannot check the NodePorts of session %q: %w", b.ns, err)
	}
	perr := &NodePortsError{Session: b.ns}
	for _, s := range list.Items {
		if s.Namespace == b.ns {
			continue
		}
		for _, sp := range s.Spec.Ports {
			if proc, ok := want[sp.NodePort]; ok && sp.NodePort != 0 {
				perr.Held = append(perr.Held, HeldPort{Port: sp.NodePort, Process: proc, Session: s.Namespace, Service: s.Name})
			}
		}
	}
	if len(perr.Held) == 0 {
		return "", nil
	}
	sort.Slice(perr.Held, func(i, j int) bool { return perr.Held[i].Port < perr.Held[j].Port })
	return "", perr
}
