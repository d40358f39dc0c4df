package bootexec

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
)

func TestWriteSummaryGolden(t *testing.T) {
	r := &Result{Session: "run1", Waited: true, Processes: []ProcessResult{
		{Name: "local-connection-server", Host: "np02-srv-001", Outcome: Ready, Status: "Running"},
		{Name: "root-controller", Host: "np02-srv-001", Outcome: Ready, Status: "Running"},
		{Name: "ru-01", Host: "np02-srv-002", Outcome: CreateFailed,
			Reason: `pod refused: Forbidden: pods "ru-01" is forbidden: exceeded quota: half, requested: pods=1, used: pods=2, limited: pods=2`},
		{Name: "df-01", Host: "np02-srv-003", Outcome: Created, Status: "Unschedulable",
			Reason: "Unschedulable; 0/3 nodes are available: 1 Insufficient hugepages-1Gi; last event FailedScheduling: 0/3 nodes are available"},
		{Name: "df-02", Host: "np02-srv-003", Outcome: NotCreated, Reason: "interrupted before it was created"},
		{Name: "df-03", Host: "np02-srv-003", Outcome: Created, Status: "Running", RolledBack: true, Reason: "NotReady"},
	}}
	for i := range 5 {
		r.Processes = append(r.Processes, ProcessResult{Name: fmt.Sprintf("tp-%02d", i), Host: fmt.Sprintf("np02-srv-%03d", 4+i%2),
			Outcome: NotCreated, Reason: "interrupted before it was created"})
	}
	var b bytes.Buffer
	if err := WriteSummary(&b, r, 72); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "summary.txt", b.Bytes())

	b.Reset()
	if err := WriteSummary(&b, r, 0); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "summary-nowrap.txt", b.Bytes())

	b.Reset()
	r.Processes = r.Processes[:2]
	if err := WriteSummary(&b, r, 72); err != nil || b.Len() != 0 {
		t.Fatalf("summary of a fully ready boot = %q, %v; want nothing", b.String(), err)
	}
}
