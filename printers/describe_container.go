package printers

import (
	"fmt"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// The container part of DescribeProcess: image, state, environment, mounts.

func describeContainer(w *prefixWriter, pod *corev1.Pod, c *corev1.Container) {
	w.Write(level0, "Container:\t%s\n", c.Name)
	w.Write(level1, "Image:\t%s\n", c.Image)
	if c.WorkingDir != "" {
		w.Write(level1, "Working Dir:\t%s\n", c.WorkingDir)
	}
	if s := containerStatus(pod, c.Name); s != nil {
		describeState(w, "State", s.State)
		if s.LastTerminationState.Terminated != nil {
			describeState(w, "Last State", s.LastTerminationState)
		}
		w.Write(level1, "Ready:\t%s\n", titleBool(s.Ready))
		w.Write(level1, "Restart Count:\t%d\n", s.RestartCount)
	} else {
		w.Write(level1, "State:\tNot created\n")
	}
	describeEnv(w, c)
	describeMounts(w, pod, c)
}

// describeState is kubectl's container state block.
func describeState(w *prefixWriter, title string, s corev1.ContainerState) {
	switch {
	case s.Running != nil:
		w.Write(level1, "%s:\tRunning\n", title)
		w.Write(level2, "Started:\t%s\n", s.Running.StartedAt.Format(describeTime))
	case s.Waiting != nil:
		w.Write(level1, "%s:\tWaiting\n", title)
		if s.Waiting.Reason != "" {
			w.Write(level2, "Reason:\t%s\n", s.Waiting.Reason)
		}
		if s.Waiting.Message != "" {
			w.Write(level2, "Message:\t%s\n", s.Waiting.Message)
		}
	case s.Terminated != nil:
		t := s.Terminated
		w.Write(level1, "%s:\tTerminated\n", title)
		if t.Reason != "" {
			w.Write(level2, "Reason:\t%s\n", t.Reason)
		}
		if t.Message != "" {
			w.Write(level2, "Message:\t%s\n", t.Message)
		}
		w.Write(level2, "Exit Code:\t%d\n", t.ExitCode)
		if t.Signal > 0 {
			w.Write(level2, "Signal:\t%d\n", t.Signal)
		}
		w.Write(level2, "Started:\t%s\n", t.StartedAt.Format(describeTime))
		w.Write(level2, "Finished:\t%s\n", t.FinishedAt.Format(describeTime))
	default:
		w.Write(level1, "%s:\tWaiting\n", title)
	}
}

func describeEnv(w *prefixWriter, c *corev1.Container) {
	if len(c.Env) == 0 && len(c.EnvFrom) == 0 {
		w.Write(level1, "Environment:\t<none>\n")
		return
	}
	w.Write(level1, "Environment:\n")
	for _, e := range c.Env {
		w.Write(level2, "%s:\t%s\n", e.Name, envValue(e))
	}
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil:
			w.Write(level2, "%s\tConfigMap %s\n", from.Prefix+"*", from.ConfigMapRef.Name)
		case from.SecretRef != nil:
			w.Write(level2, "%s\tSecret %s\n", from.Prefix+"*", from.SecretRef.Name)
		}
	}
}

// envValue is the value, or where it comes from, in kubectl's words.
func envValue(e corev1.EnvVar) string {
	f := e.ValueFrom
	switch {
	case f == nil:
		return e.Value
	case f.FieldRef != nil:
		return fmt.Sprintf(" (%s:%s)", f.FieldRef.APIVersion, f.FieldRef.FieldPath)
	case f.ResourceFieldRef != nil:
		return fmt.Sprintf("%s of container %s", f.ResourceFieldRef.Resource, valueOrNone(f.ResourceFieldRef.ContainerName))
	case f.ConfigMapKeyRef != nil:
		return fmt.Sprintf("<set to the key '%s' of config map '%s'>", f.ConfigMapKeyRef.Key, f.ConfigMapKeyRef.Name)
	case f.SecretKeyRef != nil:
		return fmt.Sprintf("<set to the key '%s' in secret '%s'>", f.SecretKeyRef.Key, f.SecretKeyRef.Name)
	}
	return "<set from an unknown source>"
}

// describeMounts lists the container's mounts with the host path behind
// each (drunc mounts host directories: cvmfs, software, data, devices).
func describeMounts(w *prefixWriter, pod *corev1.Pod, c *corev1.Container) {
	if len(c.VolumeMounts) == 0 {
		w.Write(level1, "Mounts:\t<none>\n")
		return
	}
	volumes := map[string]*corev1.Volume{}
	for i := range pod.Spec.Volumes {
		volumes[pod.Spec.Volumes[i].Name] = &pod.Spec.Volumes[i]
	}
	mounts := append([]corev1.VolumeMount(nil), c.VolumeMounts...)
	sort.SliceStable(mounts, func(i, j int) bool { return mounts[i].MountPath < mounts[j].MountPath })
	w.Write(level1, "Mounts:\n")
	for _, m := range mounts {
		flags := []string{"rw"}
		if m.ReadOnly {
			flags[0] = "ro"
		}
		if v := volumes[m.Name]; v != nil {
			switch {
			case v.HostPath != nil:
				flags = append(flags, "host path "+v.HostPath.Path)
			case v.EmptyDir != nil:
				flags = append(flags, "empty dir")
			case v.Projected != nil:
				flags = append(flags, "projected")
			}
		}
		sub := ""
		if m.SubPath != "" {
			sub = " path=" + m.SubPath
		}
		w.Write(level2, "%s from %s%s (%s)\n", m.MountPath, m.Name, sub, strings.Join(flags, ", "))
	}
}
