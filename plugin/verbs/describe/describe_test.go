package describe

import (
	"bytes"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/printers"
)

var (
	started  = metav1.NewTime(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC))
	finished = metav1.NewTime(time.Date(2026, 5, 1, 10, 5, 0, 0, time.UTC))
)

// booted renders ru-01 as kubectl drunc boot does (boot record included).
func booted(t *testing.T) *corev1.Pod {
	t.Helper()
	st := pmconfig.Default()
	st.Volumes = []pmconfig.Volume{
		{Name: "cvmfs", MountPath: "/cvmfs", HostPath: "/cvmfs", ReadOnly: true},
		{Name: "vfio", MountPath: "/dev/vfio", HostPath: "/dev/vfio"},
	}
	st.HomePathBase = "/home"
	s := &session.Session{Name: "run42", User: "alice", Processes: []session.Process{{
		Name: "ru-01", Host: "np02-srv-001", TreeID: "0.1.0", UUID: "00000000-0000-4000-8000-000000000001",
		LogPath: "/log/run42/ru-01.log",
		Env:     map[string]string{"DUNEDAQ_PARTITION": "run42"},
		Executables: []session.Executable{
			{Exec: "source", Args: []string{"/opt/daq/rte.sh"}},
			{Exec: "daq_application", Args: []string{"--name", "ru-01", "-c", "rest://localhost:5000", "a value with 'quotes' and $(no expansion)"}},
		},
	}}}
	objs, err := podspec.Render(s, st, podspec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return objs.Processes[0].Pod
}

func event(typ, reason, from, msg string, ago time.Duration) *corev1.Event {
	at := metav1.NewTime(time.Now().Add(-ago))
	return &corev1.Event{
		Type: typ, Reason: reason, Message: msg, Source: corev1.EventSource{Component: from},
		FirstTimestamp: at, LastTimestamp: at, Count: 1,
	}
}

func TestDescribeGolden(t *testing.T) {
	keys := session.Keys("")

	running := booted(t)
	running.Spec.NodeName = "np02-srv-001"
	running.Status = corev1.PodStatus{
		Phase: corev1.PodRunning, HostIP: "10.73.136.11", PodIP: "10.244.0.7", StartTime: &started,
		Conditions: []corev1.PodCondition{
			{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
			{Type: corev1.PodReady, Status: corev1.ConditionTrue},
		},
		ContainerStatuses: []corev1.ContainerStatus{{
			Name: "ru-01", Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: started}},
		}},
	}

	exited := running.DeepCopy()
	exited.Status.Phase = corev1.PodFailed
	exited.Status.PodIP = ""
	exited.Status.Conditions[1] = corev1.PodCondition{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "PodCompleted"}
	exited.Status.ContainerStatuses[0] = corev1.ContainerStatus{Name: "ru-01", State: corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error", StartedAt: started, FinishedAt: finished},
	}}

	// As drunc's Python process manager makes it: its labels, no boot
	// record, a bash script; pinned to a host that does not exist.
	python := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "df-01", Namespace: "run42", Labels: map[string]string{
			"app": "df-01", keys.Creator(): session.CreatorValue, keys.UUID(): "5b1c", keys.TreeID(): "0.2.0",
		}},
		Spec: corev1.PodSpec{
			NodeSelector: map[string]string{"kubernetes.io/hostname": "np02-srv-404"},
			Containers: []corev1.Container{{
				Name: "df-01", Image: "ghcr.io/dune-daq/alma9:latest",
				Command: []string{"/bin/bash", "-c"},
				Args:    []string{"source /opt/daq/rte.sh && daq_application --name df-01"},
				Env: []corev1.EnvVar{{Name: "USER", Value: "bob"}, {Name: "POD_IP", ValueFrom: &corev1.EnvVarSource{
					FieldRef: &corev1.ObjectFieldSelector{APIVersion: "v1", FieldPath: "status.podIP"}}}},
			}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{
			Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
			Message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
		}}},
	}

	killedExit, killedAt := int32(-1), finished.Time
	cases := []struct {
		name string
		d    printers.Description
	}{
		{"running", printers.Description{Pod: running, Keys: keys, Events: []*corev1.Event{
			event("Normal", "Scheduled", "default-scheduler", "Successfully assigned run42/ru-01 to np02-srv-001", 30*time.Minute+30*time.Second),
		}}},
		{"exited", printers.Description{Pod: exited, Keys: keys, Events: []*corev1.Event{
			event("Normal", "Scheduled", "default-scheduler", "Successfully assigned run42/ru-01 to np02-srv-001", 40*time.Minute+30*time.Second),
			event("Warning", "Exited", "kwok", "Container exited", 30*time.Minute+30*time.Second),
		}}},
		{"pending-python", printers.Description{Pod: python, Keys: keys, Events: []*corev1.Event{
			event("Warning", "FailedScheduling", "default-scheduler", "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", 30*time.Minute+30*time.Second),
		}}},
		{"killed", printers.Description{Pod: booted(t), Keys: keys, Recorded: &printers.RecordedState{Status: "Killed", ExitCode: &killedExit, Since: &killedAt},
			Events: []*corev1.Event{
				event("Normal", "Scheduled", "default-scheduler", "Successfully assigned run42/ru-01 to np02-srv-001", 40*time.Minute+30*time.Second),
				event("Normal", "Killing", "kubelet", "Stopping container ru-01", 30*time.Minute+30*time.Second),
			}}},
		{"lost", printers.Description{Pod: booted(t), Keys: keys, Recorded: &printers.RecordedState{Status: "Lost"}}},
		{"gone", printers.Description{Session: "run42", Name: "tp-01", Keys: keys, Events: []*corev1.Event{
			event("Normal", "Killing", "kubelet", "Stopping container tp-01", 30*time.Minute+30*time.Second),
		}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := printers.DescribeProcess(&b, c.d); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, c.name+".golden", b.Bytes())
		})
	}
}
