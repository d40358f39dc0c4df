package bootexec

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// groupNotCreated is how many processes left uncreated for the same reason
// get one row instead of one each (an interrupted boot of hundreds).
const groupNotCreated = 4

// WriteSummary writes the end-of-boot table of the processes that did not
// come up, in boot order: process, host, what happened, status and why
// (the API's refusal, the pod's message and last event, or what blocked
// it). Reasons wrap at reasonWidth columns (a terminal); 0 keeps each row
// on one line (logs, grep). Nothing is written when all came up.
func WriteSummary(w io.Writer, r *Result, reasonWidth int) error {
	bad := r.NotReady()
	if len(bad) == 0 {
		return nil
	}
	opts := []tablewriter.Option{tablewriter.WithHeaderAutoFormat(tw.On)}
	if reasonWidth > 0 {
		opts = append(opts, tablewriter.WithRowAutoWrap(tw.WrapNormal), tablewriter.WithRowMaxWidth(reasonWidth))
	} else {
		// Logs and grep: kubectl's plain columns, no box drawing.
		opts = append(opts, tablewriter.WithRowAutoWrap(tw.WrapNone),
			tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
				Borders: tw.BorderNone, Symbols: tw.NewSymbols(tw.StyleNone),
				Settings: tw.Settings{Separators: tw.Separators{BetweenColumns: tw.Off, BetweenRows: tw.Off, ShowHeader: tw.Off},
					Lines: tw.Lines{ShowHeaderLine: tw.Off}},
			})),
			tablewriter.WithHeaderAlignment(tw.AlignLeft),
			tablewriter.WithPadding(tw.Padding{Left: "", Right: "   ", Overwrite: true}))
	}
	var table bytes.Buffer
	t := tablewriter.NewTable(&table, opts...)
	t.Header("Process", "Host", "Outcome", "Status", "Reason")
	for _, row := range summaryRows(bad) {
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(w, "%d of %d processes of session %q did not come up:\n", len(bad), len(r.Processes), r.Session); err != nil {
		return err
	}
	if err := t.Render(); err != nil {
		return err
	}
	// The plain columns pad the last one too: no trailing blanks in logs.
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n"))); err != nil {
			return err
		}
	}
	return nil
}

// summaryRows is one row per process, except that runs of at least
// groupNotCreated uncreated processes with the same reason share a row.
func summaryRows(bad []ProcessResult) [][]string {
	var rows [][]string
	for i := 0; i < len(bad); {
		p := bad[i]
		j := i + 1
		for j < len(bad) && bad[j].Outcome == NotCreated && p.Outcome == NotCreated && bad[j].Reason == p.Reason {
			j++
		}
		if n := j - i; n >= groupNotCreated {
			hosts := map[string]bool{}
			for _, q := range bad[i:j] {
				hosts[q.Host] = true
			}
			host := p.Host
			if len(hosts) > 1 {
				host = fmt.Sprintf("%d hosts", len(hosts))
			}
			rows = append(rows, []string{fmt.Sprintf("%s … %s", p.Name, bad[j-1].Name), host,
				fmt.Sprintf("%s (%d)", NotCreated, n), "-", p.Reason})
			i = j
			continue
		}
		outcome := string(p.Outcome)
		if p.RolledBack {
			outcome += " (rolled back)"
		}
		status := p.Status
		if status == "" {
			status = "-"
		}
		rows = append(rows, []string{p.Name, p.Host, outcome, status, p.Reason})
		i++
	}
	return rows
}
