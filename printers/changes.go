package printers

import (
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/changes"
)

// ChangesTable is one or more process changes as `kubectl drunc events`
// prints them, in kubectl events' manner (LAST SEEN, TYPE, REASON...).
// Print it with one table printer per output, so the header is printed once.
func ChangesTable(rs []changes.Record, withSession bool, now time.Time) *metav1.Table {
	cols := []string{"Last Seen", "Type"}
	if withSession {
		cols = append(cols, "Session")
	}
	cols = append(cols, "Process", "State", "Exit", "Reason", "Message")
	t := table(cols...)
	for i := range rs {
		r := &rs[i]
		cells := []any{age(r.Time.Time, now), r.Type}
		if withSession {
			cells = append(cells, r.Session)
		}
		cells = append(cells, r.Process, transition(r), exitCell(r.ExitCode), orNone(reason(r)), orNone(r.Message))
		row(t, cells...)
	}
	return t
}

// transition is "Running → Error", or the state alone when it did not
// change (an event, a process first seen).
func transition(r *changes.Record) string {
	switch {
	case r.To == "":
		return none
	case r.From == "" || r.From == r.To:
		return r.To
	}
	return r.From + " → " + r.To
}

func reason(r *changes.Record) string {
	if r.Count > 1 {
		return r.Reason + " (x" + strconv.Itoa(int(r.Count)) + ")"
	}
	return r.Reason
}
