package status

import (
	"bytes"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

var statusNow = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func code(c int32) *int32 { return &c }

func statusReport() *health.Report {
	restartedAt := metav1.NewTime(statusNow.Add(-5 * time.Minute))
	return &health.Report{Sessions: []health.Session{
		{Name: "run42", Processes: 400, Ready: 396,
			States: []health.StateCount{{State: health.NodeLost, Count: 1}, {State: health.Exited, ExitCode: code(3), Count: 1},
				{State: health.Unschedulable, Count: 2}, {State: health.Ready, Count: 396}},
			Roles: []health.RoleCount{{Role: "application", Processes: 380, Ready: 376}, {Role: "root-controller", Processes: 1, Ready: 1}},
			Problems: []health.Process{
				{Name: "df-01", Role: "application", Host: "h3", State: health.NodeLost, Reason: "NodeLost", Message: "node h3 stopped reporting"},
				{Name: "ru-01", Role: "application", Host: "h1", State: health.Exited, ExitCode: code(3), Reason: "Error", Restarts: 2, LastRestart: &restartedAt,
					LastWarning: &health.Event{Reason: "BackOff", Message: "Back-off restarting failed container"}},
				{Name: "ru-02", Role: "application", Host: "h9", State: health.Unschedulable, Reason: "Unschedulable", Message: "0/3 nodes are available"},
			},
			Restarted: []health.Process{{Name: "tp-01", Role: "application", Host: "h4", State: health.Ready, Restarts: 1, LastRestart: &restartedAt, LastExitCode: code(137)}},
			Hosts:     []health.Host{{Name: "h3", Problems: []string{"Lost"}, Message: "Kubelet stopped posting node status.", Processes: 20}, {Name: "h4", Problems: []string{"Cordoned"}, Processes: 20}},
		},
		{Name: "run43", Healthy: true, Processes: 1, Ready: 1, States: []health.StateCount{{State: health.Ready, Count: 1}}},
	}}
}

func TestPrintStatus(t *testing.T) {
	var b bytes.Buffer
	if err := dprinters.PrintStatus(&b, statusReport(), false, statusNow); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "status.txt", b.Bytes())
	b.Reset()
	if err := dprinters.PrintStatus(&b, statusReport(), true, statusNow); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "status-all.txt", b.Bytes())
}
