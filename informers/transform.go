package informers

import (
	corev1 "k8s.io/api/core/v1"
)

// lastAppliedAnnotation is kubectl apply's copy of the whole object: large
// and never read by the plugin.
const lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// DropManagedFields is the transform for full-fidelity caches (-o yaml...):
// managedFields are server bookkeeping that kubectl get hides too.
func DropManagedFields(obj any) (any, error) {
	if pod, ok := obj.(*corev1.Pod); ok {
		pod.ManagedFields = nil
	}
	return obj, nil
}

// Trim keeps what the process view, the printers, waits and kill read, and
// drops the rest (volumes, probes, security contexts, resources, affinity,
// ...), so a cache of thousands of pods stays small. Callers that need the
// full spec (restart of a pod without boot record, describe) GET the pod.
func Trim(obj any) (any, error) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return obj, nil
	}
	out := &corev1.Pod{TypeMeta: pod.TypeMeta, ObjectMeta: pod.ObjectMeta}
	out.ManagedFields = nil
	if _, found := out.Annotations[lastAppliedAnnotation]; found {
		a := make(map[string]string, len(out.Annotations)-1)
		for k, v := range out.Annotations {
			if k != lastAppliedAnnotation {
				a[k] = v
			}
		}
		out.Annotations = a
	}
	s := &pod.Spec
	out.Spec = corev1.PodSpec{
		NodeName:                      s.NodeName,
		NodeSelector:                  s.NodeSelector,
		RestartPolicy:                 s.RestartPolicy,
		TerminationGracePeriodSeconds: s.TerminationGracePeriodSeconds,
		ReadinessGates:                s.ReadinessGates,
		Containers:                    trimContainers(s.Containers),
		InitContainers:                trimContainers(s.InitContainers),
	}
	st := &pod.Status
	out.Status = corev1.PodStatus{
		Phase:                 st.Phase,
		Reason:                st.Reason,
		Message:               st.Message,
		Conditions:            st.Conditions,
		HostIP:                st.HostIP,
		PodIP:                 st.PodIP,
		PodIPs:                st.PodIPs,
		StartTime:             st.StartTime,
		NominatedNodeName:     st.NominatedNodeName,
		InitContainerStatuses: st.InitContainerStatuses,
		ContainerStatuses:     st.ContainerStatuses,
	}
	return out, nil
}

// trimContainers keeps name, image, command, args, the USER env (drunc's
// way to say whose process it is) and the restart policy (sidecar init
// containers count as containers in the status).
func trimContainers(cs []corev1.Container) []corev1.Container {
	if len(cs) == 0 {
		return nil
	}
	out := make([]corev1.Container, len(cs))
	for i := range cs {
		c := &cs[i]
		var env []corev1.EnvVar
		for _, e := range c.Env {
			if e.Name == "USER" && e.ValueFrom == nil {
				env = append(env, corev1.EnvVar{Name: e.Name, Value: e.Value})
			}
		}
		out[i] = corev1.Container{
			Name: c.Name, Image: c.Image, Command: c.Command, Args: c.Args,
			Env: env, RestartPolicy: c.RestartPolicy,
		}
	}
	return out
}
