package events

import (
	"encoding/json"
	"io"
	"time"

	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/changes"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// printerFor prints records one at a time, flushed at once (a stream):
// table rows under one header, one JSON object per line (what log
// shippers and alerting read; kubectl's JSON printer would indent), or
// YAML documents.
func printerFor(w io.Writer, format string, withSession bool) func(changes.Record) error {
	switch format {
	case "json":
		return func(r changes.Record) error {
			b, err := json.Marshal(&r)
			if err != nil {
				return err
			}
			_, err = w.Write(append(b, '\n'))
			return err
		}
	case "yaml":
		p := &printers.YAMLPrinter{}
		return func(r changes.Record) error { return p.PrintObj(&r, w) }
	}
	tw := printers.GetNewTabWriter(w)
	// One table printer: it prints the header with the first row only.
	p := printers.NewTablePrinter(printers.PrintOptions{})
	return func(r changes.Record) error {
		if err := p.PrintObj(dprinters.ChangesTable([]changes.Record{r}, withSession, time.Now()), tw); err != nil {
			return err
		}
		return tw.Flush()
	}
}
