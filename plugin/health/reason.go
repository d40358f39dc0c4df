package health

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// Reason says why a process is in its state, most specific first: its
// host (NodeLost), its container's state, the pod condition that fails,
// the pod's own reason.
func Reason(v *process.View, state State, node *corev1.Node) (reason, message string) {
	if state == NodeLost && node != nil && nodeLost(node) {
		c := nodeCondition(node, corev1.NodeReady)
		return "NodeLost", fmt.Sprintf("node %s stopped reporting: %s", node.Name, c.Message)
	}
	pod := v.Pod
	if pod == nil {
		return "", ""
	}
	message = process.Message(pod)
	if s := process.MainStatus(pod); s != nil {
		switch {
		case s.State.Waiting != nil && s.State.Waiting.Reason != "":
			return s.State.Waiting.Reason, message
		case s.State.Terminated != nil && s.State.Terminated.Reason != "":
			return s.State.Terminated.Reason, message
		}
	}
	for _, t := range []corev1.PodConditionType{corev1.PodScheduled, corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady} {
		for _, c := range pod.Status.Conditions {
			if c.Type == t && c.Status != corev1.ConditionTrue && c.Reason != "" {
				if message == "" {
					message = c.Message
				}
				return c.Reason, message
			}
		}
	}
	return pod.Status.Reason, message
}

// lastRestart is when the previous instance of the container ended and
// with which code, as the kubelet keeps it (lastState), or nils.
func lastRestart(v *process.View) (*metav1.Time, *int32) {
	if v.Pod == nil {
		return nil, nil
	}
	s := process.MainStatus(v.Pod)
	if s == nil || s.LastTerminationState.Terminated == nil {
		return nil, nil
	}
	t := s.LastTerminationState.Terminated
	at := t.FinishedAt
	code := t.ExitCode
	if at.IsZero() {
		return nil, &code
	}
	return &at, &code
}

// eventOf converts a Kubernetes event.
func eventOf(ev *corev1.Event, at metav1.Time) *Event {
	if ev == nil {
		return nil
	}
	return &Event{Reason: ev.Reason, Message: ev.Message, Time: at, Count: ev.Count}
}
