package health

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// State is what a process's health is, coarser than its STATUS: the words
// `kubectl drunc status` counts by.
type State string

// The states, worst first (the order problems are listed in).
const (
	// NodeLost: its host stopped reporting (pod marked by the node
	// controller, or its node's Ready condition is Unknown).
	NodeLost State = "NodeLost"
	// Exited: its container terminated and will not run again.
	Exited State = "Exited"
	// Failed: the pod failed without a container exit code (e.g. Evicted).
	Failed State = "Failed"
	// Killed and Lost are processes of the session record without a
	// pod: killed by kubectl drunc, or gone otherwise. Only with a record.
	Killed State = "Killed"
	Lost   State = "Lost"
	// Unschedulable: the scheduler found no node for it.
	Unschedulable State = "Unschedulable"
	// NotReady: running, not ready.
	NotReady State = "NotReady"
	// Pending: not running yet (scheduling, pulling, creating, back-off).
	Pending State = "Pending"
	// Terminating: deletion requested, still there.
	Terminating State = "Terminating"
	// Ready: running and ready; the only healthy state.
	Ready State = "Ready"
)

// severity orders states worst first.
var severity = map[State]int{
	NodeLost: 0, Exited: 1, Failed: 2, Killed: 3, Lost: 4, Unschedulable: 5,
	NotReady: 6, Pending: 7, Terminating: 8, Ready: 9,
}

// Classify gives the process's State from its view (process.FromPod: the
// one status computation) and, when known, the node it is bound to: a pod
// still running on a node whose Ready condition is Unknown is NodeLost
// before the node controller gets to mark it (tens of seconds later).
func Classify(v *process.View, node *corev1.Node) State {
	switch {
	case v.Status == "NodeLost" || v.Status == "Unknown":
		return NodeLost
	case v.State == process.Terminating:
		return Terminating
	case v.State == process.Dead && v.Exit != nil:
		return Exited
	case v.State == process.Dead:
		return Failed
	case node != nil && v.Pod != nil && v.Pod.Spec.NodeName == node.Name && nodeLost(node):
		return NodeLost
	case v.Status == corev1.PodReasonUnschedulable:
		return Unschedulable
	case v.State == process.Running && v.Ready && v.Status == string(corev1.PodRunning):
		return Ready
	case v.State == process.Running:
		return NotReady
	}
	return Pending
}

// Healthy tells whether the state needs no attention.
func (s State) Healthy() bool { return s == Ready }

// less orders states worst first; unknown states last.
func less(a, b State) bool {
	sa, oka := severity[a]
	sb, okb := severity[b]
	if oka != okb {
		return oka
	}
	return sa < sb
}
