package status

import (
	"context"
	"fmt"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// absent are the selected processes the session record lists without a
// pod: killed by kubectl drunc (until flushed), or lost (deleted another
// way, or with their node); with -A also those of a session that has no
// pod left. A record that cannot be read is a warning: the pods are still
// reported.
func (o *Options) absent(ctx context.Context, t *selector.Target) []health.Absent {
	found, err := t.Recorded(ctx, t.Cache.Pods(), sessionrecord.ClassKilled, sessionrecord.ClassLost)
	if err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed and lost processes not all shown: %v\n", err)
	}
	out := make([]health.Absent, 0, len(found))
	for _, r := range found {
		e := r.Entry
		a := health.Absent{Session: r.Session, Name: e.Name, UUID: e.UUID, Host: e.Host, Role: e.Role}
		if r.Class == sessionrecord.ClassKilled {
			code := e.KilledExit()
			a.Killed, a.ExitCode = true, &code
		}
		out = append(out, a)
	}
	return out
}
