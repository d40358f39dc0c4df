package events

import (
	"encoding/json"
	"io"
	"time"

	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/changes"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// printerFor prints records one at a time: table rows under one header,
// one JSON object per line (what log shippers and alerting read; kubectl's
// JSON printer would indent), or YAML documents. The second function ends
// the list of the start: table rows are aligned until then, and flushed
// one by one after (a stream).
func printerFor(w io.Writer, format string, withSession bool) (emit func(changes.Record) error, listed func() error) {
	noop := func() error { return nil }
	switch format {
	case "json":
		return func(r changes.Record) error {
			b, err := json.Marshal(&r)
			if err != nil {
				return err
			}
			_, err = w.Write(append(b, '\n'))
			return err
		}, noop
	case "yaml":
		p := &printers.YAMLPrinter{}
		return func(r changes.Record) error { return p.PrintObj(&r, w) }, noop
	}
	tw := printers.GetNewTabWriter(w)
	// One table printer: it prints the header with the first row only.
	p := printers.NewTablePrinter(printers.PrintOptions{})
	streaming := false
	return func(r changes.Record) error {
			if err := p.PrintObj(dprinters.ChangesTable([]changes.Record{r}, withSession, clock()), tw); err != nil || !streaming {
				return err
			}
			return tw.Flush()
		}, func() error {
			streaming = true
			return tw.Flush()
		}
}

// clock is what LAST SEEN is computed from (tests fix it).
var clock = time.Now
