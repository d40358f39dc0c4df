package lifecycle

import (
	"context"
	"errors"
	"sort"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// Changes are session record changes by session.
type Changes map[string][]sessionrecord.Change

// Add adds a change to a session's.
func (c Changes) Add(session string, ch sessionrecord.Change) {
	c[session] = append(c[session], ch)
}

// KilledChanges are the record changes of a kill: KilledChange (the exit
// code seen, else NoExit) for every process whose pod it deleted, seen
// gone or not (a stage that timed out, Ctrl-C): the pod goes, and a
// deletion the record never learns of would name that pod for good.
// Processes whose DELETE failed are left as they are.
func KilledChanges(killed []Killed) Changes {
	now, out := time.Now(), Changes{}
	for _, k := range killed {
		if k.Deleted {
			out.Add(k.View.Session, sessionrecord.KilledChange{Name: k.View.Name, PodUID: k.View.UID, ExitCode: k.Exit, At: now})
		}
	}
	return out
}

// FlushedChanges are the record changes of a flush: FlushedChange for every
// process whose pod (seen gone or not, as KilledChanges) or, for a killed
// one, whose record it removed. A change carries the UID of the pod it is
// about, so a process restarted meanwhile is not forgotten.
func FlushedChanges(flushed []Killed) Changes {
	now, out := time.Now(), Changes{}
	for _, k := range flushed {
		if k.Deleted {
			out.Add(k.View.Session, sessionrecord.FlushedChange{Name: k.View.Name, PodUID: k.View.UID, At: now})
		}
	}
	return out
}

// RecordTimeout bounds the record's update after the cluster was changed:
// it runs even when the command was interrupted (the pods are already
// gone or created), so the record still says so.
const RecordTimeout = 30 * time.Second

// Record applies the changes, one Store.Apply per session (one write per
// shard touched, retried on conflict), and joins the errors of every
// session. Sessions without a record are left without one.
func Record(ctx context.Context, client kubernetes.Interface, changes Changes) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RecordTimeout)
	defer cancel()
	sessions := make([]string, 0, len(changes))
	for s := range changes {
		sessions = append(sessions, s)
	}
	sort.Strings(sessions)
	var errs []error
	for _, s := range sessions {
		errs = append(errs, sessionrecord.New(client, s).Apply(ctx, changes[s]...))
	}
	return errors.Join(errs...)
}
