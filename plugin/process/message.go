package process

import corev1 "k8s.io/api/core/v1"

// Message is the most specific message the pod carries about its state: a
// waiting or terminated container's, else the scheduler's, else the pod's.
func Message(pod *corev1.Pod) string {
	if pod == nil {
		return ""
	}
	for _, s := range pod.Status.ContainerStatuses {
		if w := s.State.Waiting; w != nil && w.Message != "" {
			return w.Message
		}
		if t := s.State.Terminated; t != nil && t.Message != "" {
			return t.Message
		}
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && c.Message != "" {
			return c.Message
		}
	}
	return pod.Status.Message
}

// MainStatus is the status of the process's container (drunc pods have
// exactly one), or nil before the kubelet reported it.
func MainStatus(pod *corev1.Pod) *corev1.ContainerStatus { return mainStatus(pod) }
