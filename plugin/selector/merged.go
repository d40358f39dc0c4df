package selector

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Merged returns the selected views of the live pods and of the recorded
// processes without one, all in the session's order (a killed process
// keeps its place in the tree): each recorded process stands in by its
// recorded pod and shows as View shows it. ps and describe list both this
// one way.
func Merged(pods []*corev1.Pod, recorded []RecordedProcess, keys session.LabelKeys, keep func(*corev1.Pod) bool) []process.View {
	byPod := make(map[*corev1.Pod]*RecordedProcess, len(recorded))
	all := append(make([]*corev1.Pod, 0, len(pods)+len(recorded)), pods...)
	for i := range recorded {
		pod, _, _ := recorded[i].Shown()
		byPod[pod] = &recorded[i]
		all = append(all, pod)
	}
	views := process.Selected(all, keys, keep)
	for i := range views {
		if rp, ok := byPod[views[i].Pod]; ok {
			rp.mark(&views[i])
		}
	}
	return views
}
