package sessiondiff

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
)

// WriteHuman writes the report for people: a summary line, then one line
// per process that differs (missing, extra, changed, died), and under each
// changed process one line per field, live value then desired value.
func (r *Report) WriteHuman(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	among := ""
	if n := r.diedUnchanged(); n > 0 {
		among = fmt.Sprintf(" (%d of them died)", n)
	}
	fmt.Fprintf(tw, "session %s: %d missing, %d extra, %d changed, %d died, %d unchanged%s\n",
		r.Session, len(r.Missing), len(r.Extra), len(r.Changed), len(r.Died), r.Unchanged, among)
	for _, m := range r.Missing {
		fmt.Fprintf(tw, "missing\t%s\t%s\n", m.Name, missingWhy(m))
	}
	for _, e := range r.Extra {
		fmt.Fprintf(tw, "extra\t%s\tnot in the configuration\n", e.Name)
	}
	for _, d := range r.Died {
		fmt.Fprintf(tw, "died\t%s\t%s, exit %s\n", d.Name, d.Status, exitText(d.ExitCode))
	}
	for _, c := range r.Changed {
		fmt.Fprintf(tw, "changed\t%s\t%d field(s)\n", c.Name, len(c.Fields))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range r.Changed {
		fmt.Fprintf(w, "\n%s:\n", c.Name)
		for _, f := range c.Fields {
			fmt.Fprintf(w, "  %s %s\n    - %s\n    + %s\n", f.Object, f.Field, valueText(f.Live), valueText(f.Desired))
		}
	}
	return nil
}

func missingWhy(m Missing) string {
	switch m.Reason {
	case Killed:
		return "killed (exit " + exitText(m.ExitCode) + "), boot creates it again"
	case Flushed:
		return "flushed, boot creates it again"
	case Lost:
		return "its pod was deleted outside kubectl drunc, boot creates it again"
	}
	return "not created, boot creates it"
}

// diedUnchanged counts the died processes that are also Unchanged: neither
// changed nor extra.
func (r *Report) diedUnchanged() int {
	other := map[string]bool{}
	for _, c := range r.Changed {
		other[c.Name] = true
	}
	for _, e := range r.Extra {
		other[e.Name] = true
	}
	n := 0
	for _, d := range r.Died {
		if !other[d.Name] {
			n++
		}
	}
	return n
}

func exitText(code *int32) string {
	if code == nil {
		return "unknown"
	}
	return strconv.Itoa(int(*code))
}

func valueText(v *string) string {
	if v == nil {
		return "(unset)"
	}
	return strconv.Quote(*v)
}
