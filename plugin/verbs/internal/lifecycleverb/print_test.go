package lifecycleverb

import (
	"bytes"
	"errors"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func killed(name, tree string, exit *int32, gone bool) lifecycle.Killed {
	k := session.Keys("")
	prog := "daq_application"
	if tree == "0" {
		prog = session.ControllerExecutable
	}
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "run42", CreationTimestamp: metav1.NewTime(now.Add(-time.Hour)),
			Labels: map[string]string{k.Creator(): session.CreatorValue, k.TreeID(): tree}},
		Spec: corev1.PodSpec{NodeSelector: map[string]string{process.HostLabel: "np02-srv-001"},
			Containers: []corev1.Container{{Name: name, Command: []string{prog}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: name,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	if exit != nil {
		p.Status.Phase = corev1.PodFailed
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: *exit, Reason: "Error"}}
	}
	v := process.FromPod(p, k)
	out := lifecycle.Killed{View: v, Stage: "application", Exit: lifecycle.NoExit, Gone: gone}
	if v.Exit != nil {
		out.Exit = *v.Exit
	}
	if !gone {
		p.DeletionTimestamp = &metav1.Time{Time: now}
		out.View = process.FromPod(p, k)
		out.Err = errors.New("still terminating")
	}
	return out
}

// TestKilledTable: EXIT is the recorded exit code or -1, STATUS says
// Killed for gone processes and the last status for those still there.
func TestKilledTable(t *testing.T) {
	three := int32(3)
	rows := []lifecycle.Killed{
		killed("root-controller", "0", nil, true),
		killed("ru-01", "0.1", nil, true),
		killed("df-01", "0.2", &three, true),
		killed("stuck-app", "0.3", nil, false),
	}
	pf := dprinters.NewFlags()
	p, err := pf.ToPrinter()
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := dprinters.Print(&got, pf, p, Views(rows, "Killed"), dprinters.TableOptions{Now: now}); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "killed.golden", got.Bytes())
}
