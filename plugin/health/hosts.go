package health

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/hosts"
)

// Nodes indexes Node objects by the host names processes are pinned to:
// the node name and its kubernetes.io/hostname label.
type Nodes map[string]*corev1.Node

// NodesOf indexes nodes (hosts.Index: the one way boot, restart and
// status find a process's node).
func NodesOf(nodes []*corev1.Node) Nodes { return hosts.Index(nodes) }

func nodeCondition(n *corev1.Node, t corev1.NodeConditionType) *corev1.NodeCondition {
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == t {
			return &n.Status.Conditions[i]
		}
	}
	return nil
}

// nodeLost: the node stopped reporting (the node controller set Ready to
// Unknown after its grace period).
func nodeLost(n *corev1.Node) bool {
	c := nodeCondition(n, corev1.NodeReady)
	return c != nil && c.Status == corev1.ConditionUnknown
}

// pressures are the node conditions that are problems when True.
var pressures = []corev1.NodeConditionType{
	corev1.NodeMemoryPressure, corev1.NodeDiskPressure, corev1.NodePIDPressure, corev1.NodeNetworkUnavailable,
}

// hostProblems lists what is wrong with a host (nil node: no such node)
// and the most telling message.
func hostProblems(n *corev1.Node) (problems []string, message string) {
	if n == nil {
		return []string{"Unknown"}, "no node has this name or hostname"
	}
	ready := nodeCondition(n, corev1.NodeReady)
	switch {
	case ready == nil:
		problems = append(problems, "NotReady")
		message = "the node has no Ready condition yet"
	case ready.Status == corev1.ConditionUnknown:
		problems = append(problems, "Lost")
		message = ready.Message
	case ready.Status == corev1.ConditionFalse:
		problems = append(problems, "NotReady")
		message = ready.Message
	}
	if n.Spec.Unschedulable {
		problems = append(problems, "Cordoned")
	}
	if taints := hosts.BlockingTaints(n); len(taints) > 0 {
		problems = append(problems, "Tainted")
		if message == "" {
			message = "tainted " + taints[0].ToString() + ": DAQ pods tolerate no taint"
		}
	}
	for _, t := range pressures {
		if c := nodeCondition(n, t); c != nil && c.Status == corev1.ConditionTrue {
			problems = append(problems, string(t))
			if message == "" {
				message = c.Message
			}
		}
	}
	return problems, message
}

// hostsWithProblems returns the hosts (of count, processes per host) that
// have problems, lost first, then by name.
func hostsWithProblems(count map[string]int, nodes Nodes) []Host {
	var out []Host
	for name, n := range count {
		problems, msg := hostProblems(nodes[name])
		if len(problems) > 0 {
			out = append(out, Host{Name: name, Problems: problems, Message: msg, Processes: n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		li, lj := out[i].Problems[0] == "Lost", out[j].Problems[0] == "Lost"
		if li != lj {
			return li
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// String is the host's problems as one word list ("NotReady,Cordoned").
func (h *Host) String() string { return strings.Join(h.Problems, ",") }
