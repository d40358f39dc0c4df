// Package hosts checks, before anything is written, that the nodes DAQ
// processes are pinned to can run them: boot checks before it creates,
// restart before it kills (a process killed on a host that cannot take it
// back would stay down).
package hosts

import (
	"context"
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Pins lists the processes pinned to each host, hosts in first-use order.
type Pins struct {
	order     []string
	processes map[string][]string
}

// Add pins a process (as the error names it) to a host.
func (p *Pins) Add(host, process string) {
	if p.processes == nil {
		p.processes = map[string][]string{}
	}
	if _, seen := p.processes[host]; !seen {
		p.order = append(p.order, host)
	}
	p.processes[host] = append(p.processes[host], process)
}

// Len is the number of hosts.
func (p *Pins) Len() int { return len(p.order) }

// Bad is a host that cannot run the processes pinned to it.
type Bad struct {
	Host string
	// Problem: "no such node", "NotReady", "cordoned (unschedulable)",
	// "tainted k=v:NoSchedule".
	Problem   string
	Fix       string
	Processes []string
}

// Error: some hosts cannot run processes, so nothing was done.
type Error struct {
	// Doing is what was refused (`boot session "run1"`), Untouched what
	// was therefore not done ("nothing was created").
	Doing, Untouched string
	Hosts            []Bad
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cannot %s: %d host(s) cannot run processes, %s:", e.Doing, len(e.Hosts), e.Untouched)
	hosts := append([]Bad(nil), e.Hosts...)
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].Host < hosts[j].Host })
	for _, h := range hosts {
		fmt.Fprintf(&b, "\n  %s: %s (processes: %s)", h.Host, h.Problem, strings.Join(h.Processes, ", "))
		if h.Fix != "" {
			fmt.Fprintf(&b, "; %s", h.Fix)
		}
	}
	return b.String()
}

// Check reads every Node once (one LIST, however many hosts) and returns
// the node of each pinned host, or an *Error (with doing and untouched)
// naming every host that is missing, not Ready, cordoned or tainted
// (BlockingTaints), with the processes pinned to it. Nothing is written.
func Check(ctx context.Context, client kubernetes.Interface, pins *Pins, doing, untouched string) (map[string]*corev1.Node, error) {
	list, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("cannot check the hosts before we %s: %w", doing, err)
	}
	all := make([]*corev1.Node, len(list.Items))
	for i := range list.Items {
		all[i] = &list.Items[i]
	}
	nodes := Index(all)
	found := map[string]*corev1.Node{}
	hostsErr := &Error{Doing: doing, Untouched: untouched}
	for _, host := range pins.order {
		n := nodes[host]
		var taints []corev1.Taint
		if n != nil {
			taints = BlockingTaints(n)
		}
		bad := Bad{Host: host, Processes: pins.processes[host]}
		switch {
		case n == nil:
			bad.Problem = "no such node"
			bad.Fix = "check the host name against kubectl get nodes"
		case !Ready(n):
			bad.Problem = "NotReady"
			bad.Fix = fmt.Sprintf("see kubectl describe node %s", n.Name)
		case n.Spec.Unschedulable:
			bad.Problem = "cordoned (unschedulable)"
			bad.Fix = fmt.Sprintf("kubectl uncordon %s when it may run DAQ processes again", n.Name)
		case len(taints) > 0:
			bad.Problem = "tainted " + taintList(taints, ", ", "")
			bad.Fix = fmt.Sprintf("DAQ pods tolerate no taint: kubectl taint nodes %s %s when it may run DAQ processes again", n.Name, taintList(taints, " ", "-"))
		default:
			found[host] = n
			continue
		}
		hostsErr.Hosts = append(hostsErr.Hosts, bad)
	}
	if len(hostsErr.Hosts) > 0 {
		return nil, hostsErr
	}
	return found, nil
}

// Index indexes nodes by the host names processes are pinned to: the node
// name and its kubernetes.io/hostname label (drunc pins by the label, which
// may differ from the name; a node's own name wins).
func Index(nodes []*corev1.Node) map[string]*corev1.Node {
	out := make(map[string]*corev1.Node, 2*len(nodes))
	for _, n := range nodes {
		out[n.Name] = n
		if h := n.Labels[corev1.LabelHostname]; h != "" && out[h] == nil {
			out[h] = n
		}
	}
	return out
}

// Ready tells whether the node's Ready condition is True.
func Ready(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
