package hosts

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// conditionTaints are the taints the node lifecycle controller keeps in
// step with what Check already reports (cordoned, NotReady) or with a
// state it is about to leave (a node just Ready keeps not-ready for a
// moment): reporting them would refuse a host that is fine.
var conditionTaints = map[string]bool{
	corev1.TaintNodeUnschedulable: true,
	corev1.TaintNodeNotReady:      true,
	corev1.TaintNodeUnreachable:   true,
}

// BlockingTaints are the node's taints that keep DAQ processes off it:
// those that forbid scheduling or evict (NoSchedule, NoExecute), since
// drunc's pods tolerate none, except the conditionTaints.
func BlockingTaints(n *corev1.Node) []corev1.Taint {
	var out []corev1.Taint
	for _, t := range n.Spec.Taints {
		if conditionTaints[t.Key] || t.Effect == corev1.TaintEffectPreferNoSchedule {
			continue
		}
		out = append(out, t)
	}
	return out
}

// taintList is the taints as kubectl writes them (k=v:NoSchedule), each
// followed by suffix ("-" removes it in kubectl taint), joined by sep.
func taintList(taints []corev1.Taint, sep, suffix string) string {
	words := make([]string, len(taints))
	for i := range taints {
		words[i] = taints[i].ToString() + suffix
	}
	return strings.Join(words, sep)
}
