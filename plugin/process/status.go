package process

import (
	corev1 "k8s.io/api/core/v1"
)

// nodeUnreachablePodReason is what the node lifecycle controller writes in
// status.reason of pods on a lost node (k8s.io/kubernetes/pkg/util/node).
const nodeUnreachablePodReason = "NodeLost"

// Status is the STATUS column. It is kubectl get pods' STATUS (the logic of
// printPod in k8s.io/kubernetes/pkg/printers/internalversion), with
// refinements kubectl shows in other columns or not at all: a Pending pod
// the scheduler rejected says Unschedulable; a running pod that is not
// Ready says NotReady, or NodeLost when its node stopped reporting (the
// node controller marked it). A Pending pod is never reported as alive.
func Status(pod *corev1.Pod) string {
	reason := kubectlStatus(pod)
	switch {
	case reason == string(corev1.PodPending) && isUnschedulable(pod):
		return corev1.PodReasonUnschedulable
	case reason == string(corev1.PodRunning) && !isReady(pod) && markedByNodeController(pod):
		return nodeUnreachablePodReason
	case reason == string(corev1.PodRunning) && !isReady(pod):
		return "NotReady"
	}
	return reason
}

// markedByNodeController recognises a pod the node lifecycle controller
// marked not Ready because its node stopped reporting: it sets only the
// Ready condition, while the kubelet, when it is the one, also clears
// ContainersReady. (Readiness gates can also hold Ready alone: not those.)
func markedByNodeController(pod *corev1.Pod) bool {
	c := condition(pod, corev1.ContainersReady)
	return c != nil && c.Status == corev1.ConditionTrue && len(pod.Spec.ReadinessGates) == 0
}

func condition(pod *corev1.Pod, t corev1.PodConditionType) *corev1.PodCondition {
	for i := range pod.Status.Conditions {
		if pod.Status.Conditions[i].Type == t {
			return &pod.Status.Conditions[i]
		}
	}
	return nil
}

func isInitialized(pod *corev1.Pod) bool {
	c := condition(pod, corev1.PodInitialized)
	return c != nil && c.Status == corev1.ConditionTrue
}

func isReady(pod *corev1.Pod) bool {
	c := condition(pod, corev1.PodReady)
	return c != nil && c.Status == corev1.ConditionTrue
}

func isUnschedulable(pod *corev1.Pod) bool {
	c := condition(pod, corev1.PodScheduled)
	return c != nil && c.Status == corev1.ConditionFalse && c.Reason == corev1.PodReasonUnschedulable
}

// restarts counts restarts of the containers (and of sidecar init
// containers), as kubectl's RESTARTS column.
func restarts(pod *corev1.Pod) int32 {
	var n int32
	for _, c := range pod.Status.ContainerStatuses {
		n += c.RestartCount
	}
	for i := range pod.Spec.InitContainers {
		if !isRestartableInit(&pod.Spec.InitContainers[i]) {
			continue
		}
		for _, s := range pod.Status.InitContainerStatuses {
			if s.Name == pod.Spec.InitContainers[i].Name {
				n += s.RestartCount
			}
		}
	}
	return n
}

// mainStatus is the status of the process's container: the first one of
// the spec (drunc pods have exactly one).
func mainStatus(pod *corev1.Pod) *corev1.ContainerStatus {
	if len(pod.Spec.Containers) == 0 {
		return nil
	}
	name := pod.Spec.Containers[0].Name
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// exitCode is the main container's exit code once it has terminated.
func exitCode(pod *corev1.Pod) *int32 {
	if s := mainStatus(pod); s != nil && s.State.Terminated != nil {
		code := s.State.Terminated.ExitCode
		return &code
	}
	return nil
}

// stateOf classifies the pod for waits.
func stateOf(pod *corev1.Pod, exit *int32) State {
	switch {
	case isTerminalPhase(pod.Status.Phase):
		return Dead
	case pod.DeletionTimestamp != nil:
		return Terminating
	case exit != nil && !willRestart(pod, *exit):
		return Dead
	}
	for _, s := range pod.Status.ContainerStatuses {
		if s.State.Running != nil {
			return Running
		}
	}
	return Starting
}

// willRestart tells whether the kubelet restarts a container that exited.
func willRestart(pod *corev1.Pod, exit int32) bool {
	switch pod.Spec.RestartPolicy {
	case corev1.RestartPolicyNever:
		return false
	case corev1.RestartPolicyOnFailure:
		return exit != 0
	}
	return true
}
