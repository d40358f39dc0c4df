package bootexec

import (
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// WriteSummary writes the end-of-boot table of the processes that did not
// come up, in boot order: process, host, what happened, status and why
// (the API's refusal, the pod's message and last event, or what blocked
// it). Nothing is written when all came up.
func WriteSummary(w io.Writer, r *Result) error {
	bad := r.NotReady()
	if len(bad) == 0 {
		return nil
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithHeaderAutoFormat(tw.On),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
		tablewriter.WithRowMaxWidth(72),
	)
	t.Header("Process", "Host", "Outcome", "Status", "Reason")
	for _, p := range bad {
		outcome := string(p.Outcome)
		if p.RolledBack {
			outcome += " (rolled back)"
		}
		status := p.Status
		if status == "" {
			status = "-"
		}
		if err := t.Append(p.Name, p.Host, outcome, status, p.Reason); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(w, "%d of %d processes of session %q did not come up:\n", len(bad), len(r.Processes), r.Session); err != nil {
		return err
	}
	return t.Render()
}
