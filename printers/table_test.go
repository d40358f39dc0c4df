package printers

import (
	"bytes"
	"testing"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var now = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a three-level session (root → segment → sub-segment → apps),
// an LCS, and one process per interesting status.
func fixture() []process.View {
	k := session.Keys("")
	mk := func(ns, name, tree string, age time.Duration, st corev1.PodStatus) *corev1.Pod {
		prog := "daq_application"
		switch name[:3] {
		case "roo", "seg", "sub":
			prog = session.ControllerExecutable
		case "loc":
			prog = "gunicorn"
		}
		for i := range st.ContainerStatuses {
			st.ContainerStatuses[i].Name = name
		}
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: types.UID("uid-" + name),
				CreationTimestamp: metav1.NewTime(now.Add(-age)),
				Labels:            map[string]string{k.Creator(): session.CreatorValue, k.UUID(): "uuid-" + name, k.TreeID(): tree, session.AppLabel: name}},
			Spec: corev1.PodSpec{NodeSelector: map[string]string{process.HostLabel: "np02-srv-00" + string(rune('1'+len(tree)%3))}, RestartPolicy: corev1.RestartPolicyNever,
				Containers: []corev1.Container{{Name: name, Command: []string{"/bin/bash", "-c", "source rte.sh; exec " + prog + " -n " + name},
					Env: []corev1.EnvVar{{Name: "USER", Value: "alice"}}}}},
			Status: st,
		}
	}
	ready := corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1",
		Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
		ContainerStatuses: []corev1.ContainerStatus{{Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}
	pods := []*corev1.Pod{
		mk("run42", "root-controller", "0", time.Hour, ready),
		mk("run42", "local-connection-server", "1", time.Hour, ready),
		mk("run42", "seg-b", "0.1", 50*time.Minute, ready),
		mk("run42", "seg-a", "0.0", 50*time.Minute, ready),
		mk("run42", "sub-a", "0.0.0", 40*time.Minute, ready),
		mk("run42", "ru-01", "0.0.0.0", 30*time.Second, corev1.PodStatus{Phase: corev1.PodPending,
			Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable}}}),
		mk("run42", "df-01", "0.0.0.1", 2*time.Minute, corev1.PodStatus{Phase: corev1.PodFailed,
			ContainerStatuses: []corev1.ContainerStatus{{RestartCount: 0, State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 3, Reason: "Error"}}}}}),
		mk("run42", "tp-01", "0.1.0", 3*time.Minute, corev1.PodStatus{Phase: corev1.PodPending,
			ContainerStatuses: []corev1.ContainerStatus{{State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "ImagePullBackOff"}}}}}),
		mk("other", "root-controller", "0", 5*time.Hour, ready),
	}
	views := make([]process.View, len(pods))
	for i, p := range pods {
		views[i] = process.FromPod(p, k)
	}
	return views
}

// render prints the fixture with kubectl's output flags as a user types
// them.
func render(t *testing.T, views []process.View, o TableOptions, args ...string) string {
	t.Helper()
	f := NewFlags()
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	f.AddFlags(cmd)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	p, err := f.ToPrinter()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	o.Now = now
	if err := Print(&b, f, p, views, o); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestTablesGolden(t *testing.T) {
	all := fixture()
	run42 := all[:len(all)-1]
	cases := []struct {
		golden string
		views  []process.View
		o      TableOptions
		args   []string
	}{
		{"session.txt", run42, TableOptions{}, nil},
		{"session-wide.txt", run42, TableOptions{}, []string{"-o", "wide"}},
		{"all-sessions.txt", all, TableOptions{WithSession: true}, nil},
		{"labels-no-headers.txt", run42[:2], TableOptions{}, []string{"--show-labels", "--no-headers"}},
		{"name.txt", run42, TableOptions{}, []string{"-o", "name"}},
		{"custom-columns.txt", run42, TableOptions{}, []string{"-o", "custom-columns=NAME:.metadata.name,TREE:.metadata.labels.tree-id\\.drunc\\.daq"}},
		{"jsonpath.txt", run42, TableOptions{}, []string{"-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			got := render(t, c.views, c.o, c.args...)
			golden.Assert(t, c.golden, []byte(got))
		})
	}
}

// The RESTARTS column appears only when a process restarted.
func TestRestartsColumnOnlyWhenRestarted(t *testing.T) {
	views := fixture()[:2]
	if got := len(TableOf(views, TableOptions{}).ColumnDefinitions); got != 11 {
		t.Fatalf("columns without restarts = %d, want 11", got)
	}
	views[0].Restarts, views[1].Restarts = 2, 2
	tab := TableOf(views, TableOptions{})
	if tab.ColumnDefinitions[5].Name != "Restarts" || tab.Rows[0].Cells[5] != int64(2) {
		t.Fatalf("column 6 = %q (%v), want Restarts (2)", tab.ColumnDefinitions[5].Name, tab.Rows[0].Cells[5])
	}
}
