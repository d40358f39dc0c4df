package process

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// podWith builds a one-container pod in a phase with a container state.
func podWith(phase corev1.PodPhase, state corev1.ContainerState, ready bool, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "ru-01", Namespace: "run42"},
		Spec:       corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "ru-01"}}},
		Status: corev1.PodStatus{Phase: phase, ContainerStatuses: []corev1.ContainerStatus{{
			Name: "ru-01", State: state, Ready: ready && state.Running != nil,
		}}},
	}
	readyStatus := corev1.ConditionFalse
	if ready {
		readyStatus = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: readyStatus}}
	for _, m := range mutate {
		m(p)
	}
	return p
}

var (
	running    = corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}
	creating   = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"}}
	pullBack   = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff", Message: "Back-off pulling image"}}
	crashLoop  = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	completed  = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed"}}
	errored    = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error"}}
	oomKilled  = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled"}}
	noReason   = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 7}}
	signalled  = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 143, Signal: 15}}
	noStatuses = func(p *corev1.Pod) { p.Status.ContainerStatuses = nil }
	deleting   = func(p *corev1.Pod) { p.DeletionTimestamp = &metav1.Time{} }
)

func TestStatus(t *testing.T) {
	cases := []struct {
		name  string
		pod   *corev1.Pod
		want  string
		state State
		exit  int32 // -1: none
	}{
		{"pending, not scheduled yet", podWith(corev1.PodPending, corev1.ContainerState{}, false, noStatuses), "Pending", Starting, -1},
		{"unschedulable", podWith(corev1.PodPending, corev1.ContainerState{}, false, noStatuses, func(p *corev1.Pod) {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable})
		}), "Unschedulable", Starting, -1},
		{"scheduling gated", podWith(corev1.PodPending, corev1.ContainerState{}, false, noStatuses, func(p *corev1.Pod) {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonSchedulingGated})
		}), "SchedulingGated", Starting, -1},
		{"container creating", podWith(corev1.PodPending, creating, false), "ContainerCreating", Starting, -1},
		{"image pull back-off", podWith(corev1.PodPending, pullBack, false), "ImagePullBackOff", Starting, -1},
		{"running and ready", podWith(corev1.PodRunning, running, true), "Running", Running, -1},
		{"running, not ready", podWith(corev1.PodRunning, running, false), "NotReady", Running, -1},
		{"node stopped reporting", podWith(corev1.PodRunning, running, false, func(p *corev1.Pod) {
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue})
		}), "NodeLost", Running, -1},
		{"readiness gate pending", podWith(corev1.PodRunning, running, false, func(p *corev1.Pod) {
			p.Spec.ReadinessGates = []corev1.PodReadinessGate{{ConditionType: "example.com/gate"}}
			p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.ContainersReady, Status: corev1.ConditionTrue})
		}), "NotReady", Running, -1},
		{"crash loop", podWith(corev1.PodRunning, crashLoop, false, func(p *corev1.Pod) {
			p.Spec.RestartPolicy = corev1.RestartPolicyAlways
			p.Status.ContainerStatuses[0].RestartCount = 4
		}), "CrashLoopBackOff", Starting, -1},
		{"completed", podWith(corev1.PodSucceeded, completed, false), "Completed", Dead, 0},
		{"error exit 3", podWith(corev1.PodFailed, errored, false), "Error", Dead, 3},
		{"oom killed", podWith(corev1.PodFailed, oomKilled, false), "OOMKilled", Dead, 137},
		{"exit without reason", podWith(corev1.PodFailed, noReason, false), "ExitCode:7", Dead, 7},
		{"killed by signal", podWith(corev1.PodFailed, signalled, false), "Signal:15", Dead, 143},
		{"terminated, phase not updated yet", podWith(corev1.PodRunning, errored, false), "Error", Dead, 3},
		{"terminating", podWith(corev1.PodRunning, running, true, deleting), "Terminating", Terminating, -1},
		{"succeeded then deleted stays Completed", podWith(corev1.PodSucceeded, completed, false, deleting), "Completed", Dead, 0},
		{"node lost", podWith(corev1.PodRunning, running, true, deleting, func(p *corev1.Pod) { p.Status.Reason = "NodeLost" }), "Unknown", Terminating, -1},
		{"evicted", podWith(corev1.PodFailed, corev1.ContainerState{}, false, noStatuses, func(p *corev1.Pod) { p.Status.Reason = "Evicted" }), "Evicted", Dead, -1},
		{"init container running", podWith(corev1.PodPending, corev1.ContainerState{}, false, func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "setup", State: running}}
		}), "Init:0/1", Starting, -1},
		{"init container failed", podWith(corev1.PodPending, corev1.ContainerState{}, false, func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "setup"}}
			p.Status.InitContainerStatuses = []corev1.ContainerStatus{{Name: "setup", State: errored}}
		}), "Init:Error", Starting, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := FromPod(c.pod, session.Keys(""))
			if v.Status != c.want {
				t.Errorf("Status = %q, want %q", v.Status, c.want)
			}
			if v.State != c.state {
				t.Errorf("State = %v, want %v", v.State, c.state)
			}
			switch {
			case c.exit < 0 && v.Exit != nil:
				t.Errorf("Exit = %d, want none", *v.Exit)
			case c.exit >= 0 && (v.Exit == nil || *v.Exit != c.exit):
				t.Errorf("Exit = %v, want %d", v.Exit, c.exit)
			}
		})
	}
}

// A pod made by drunc's Python manager carries drunc's labels only: role
// is derived from the tree id and executable, user from USER, host from
// the nodeSelector.
func TestFromPythonManagerPod(t *testing.T) {
	keys := session.Keys("")
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "root-controller", Namespace: "alice-sess", Labels: map[string]string{
			keys.Creator(): session.CreatorValue, keys.UUID(): "u-1", keys.TreeID(): "0", session.AppLabel: "root-controller",
		}},
		Spec: corev1.PodSpec{
			NodeSelector: map[string]string{HostLabel: "np02-srv-001"},
			NodeName:     "other-node",
			Containers: []corev1.Container{{Name: "root-controller", Command: []string{"/bin/bash", "-c"},
				Args: []string{"source /opt/rte.sh && cd /home/alice && exec drunc-controller -s alice-sess 2>&1 | tee -a /log/x.txt"},
				Env:  []corev1.EnvVar{{Name: "PATH", Value: "/bin"}, {Name: "USER", Value: "alice"}}}},
		},
	}
	v := FromPod(pod, keys)
	want := View{Session: "alice-sess", Name: "root-controller", UUID: "u-1", TreeID: "0", Role: session.RoleRootController, Host: "np02-srv-001", User: "alice", Executable: "drunc-controller", Status: "", State: Starting}
	if v.Session != want.Session || v.Name != want.Name || v.UUID != want.UUID || v.TreeID != want.TreeID || v.Role != want.Role ||
		v.Host != want.Host || v.User != want.User || v.Executable != want.Executable || v.State != want.State {
		t.Errorf("FromPod = %+v\nwant %+v", v, want)
	}
	pod.Spec.NodeSelector = nil
	if got := FromPod(pod, keys).Host; got != "other-node" {
		t.Errorf("without nodeSelector Host = %q, want the node name", got)
	}
	pod.Labels[keys.Role()] = string(session.RoleInfrastructure)
	if got := FromPod(pod, keys).Role; got != session.RoleInfrastructure {
		t.Errorf("the role label must win over derivation, got %q", got)
	}
}

func TestExecutable(t *testing.T) {
	cases := map[string][]string{
		"daq_application": {"sh", "-c", "source rte.sh; daq_application -n ru-01"},
		"gunicorn":        {"/bin/bash", "-ec", "trap 'kill 0' EXIT; gunicorn -b 0.0.0.0:5000 app"},
		"sleep":           {"sleep", "3600"},
		"drunc-ctl":       {"bash", "-c", "FOO=1 drunc-ctl x | tee -a log"},
		"gunicorn ":       {"/bin/bash", "-c", "exec > >(tee -a /l.txt) 2>&1; trap 'kill -KILL $child; wait $child; exit 0' TERM QUIT; source rte.sh && gunicorn -b 0.0.0.0:8080 app & child=$!; wait $child"},
	}
	for want, argv := range cases {
		pod := &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Command: argv}}}}
		if got := Executable(pod); got != strings.TrimSpace(want) {
			t.Errorf("Executable(%q) = %q, want %q", argv, got, want)
		}
	}
}
