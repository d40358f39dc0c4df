package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// Where a restarted process's new pod comes from.
const (
	FromBootRecord = "boot record"
	FromPodSpec    = "pod spec"
)

// RestartOptions tune Restart.
type RestartOptions struct {
	// Wait for the recreated processes to be Ready, bounded by ReadyTimeout.
	Wait         bool
	ReadyTimeout time.Duration
	// Probe, with Wait: once Ready, a process behind a NodePort (the LCS,
	// a root controller with a port) must answer on its node, as boot
	// checks it; every ProbeInterval (default 1 s). Each probe has a
	// deadline of its own, ReadyTimeout from when it starts.
	Probe         bool
	ProbeInterval time.Duration
	// ProbeFakeNodes probes processes on kwok fake nodes too (skipped by
	// default: nothing runs there), for a test that plays the process on
	// the node's address.
	ProbeFakeNodes bool
	// Recorded are processes without a pod (killed, flushed, lost) to
	// create again from their session's record, in boot order with the
	// restarted ones.
	Recorded []RecordedProcess
}

func (o RestartOptions) probeInterval() time.Duration {
	if o.ProbeInterval > 0 {
		return o.ProbeInterval
	}
	return time.Second
}

// Recreated is one process restart.
type Recreated struct {
	Session, Name, UUID string
	// From is FromBootRecord or FromPodSpec.
	From string
	// Pod is the pod as created (nil when not created).
	Pod *corev1.Pod
	// Service is the service it was created with (nil: none).
	Service *corev1.Service
	Err     error
}

// RestartResult is the kill, then each recreation, then the wait.
type RestartResult struct {
	Kill      *KillResult
	Recreated []Recreated
	// Wait is the readiness wait's result (zero when not waited).
	Wait    waitfor.Result
	WaitErr error
	// RecordErr: the session record could not be updated (the processes
	// were restarted all the same).
	RecordErr error
}

// Err names every process that was not restarted, or not Ready in time.
func (r *RestartResult) Err() error {
	var errs []error
	if r.Kill != nil {
		errs = append(errs, r.Kill.Err())
	}
	for _, c := range r.Recreated {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("%s/%s not restarted: %w", c.Session, c.Name, c.Err))
		}
	}
	errs = append(errs, r.WaitErr)
	return errors.Join(errs...)
}

// Restart kills the given processes (stage order, waited for), then
// recreates each under the same name, uuid, tree id and spec: from its boot
// record annotation when it has one (rendered again, as boot rendered it),
// else from its pod spec stripped of server-set fields (pods booted by
// drunc's Python manager). Its service is recreated too, owned by the new
// pod and keeping its ClusterIP. A process whose new pod cannot be worked
// out is not killed. The new pods are created in boot order through
// plugin/procreate (boot's retries and undo), and with Wait the call
// returns once they are Ready (waitfor, as boot waits) and answer.
//
// Processes without a pod (o.Recorded) are created from their session
// record's spec, in the same boot order. The record then says each
// restarted process is Booted with its new pod (RecordErr when it could
// not be written; sessions without a record are left without one).
func Restart(ctx context.Context, cfg Config, pods []*corev1.Pod, o RestartOptions) (*RestartResult, error) {
	res := &RestartResult{}
	toKill, byUID := planAll(ctx, cfg, pods, res)
	recorded := planRecorded(ctx, cfg, o.Recorded, res)
	kill := &KillResult{}
	if len(toKill) > 0 {
		var err error
		kill, err = Kill(ctx, cfg, toKill)
		res.Kill = kill
		if err != nil {
			res.RecordErr = Record(ctx, cfg.Client, KilledChanges(kill.Killed))
			return res, err
		}
	}
	r, err := newRecreation(ctx, cfg)
	if err != nil {
		return res, err
	}
	defer r.stop()
	expect := r.recreateAll(bootOrder(kill, byUID, recorded, cfg), res)
	// Recorded before the wait: the new pods exist whether or not they
	// become Ready, and an interrupted wait must not lose them.
	res.RecordErr = Record(ctx, cfg.Client, restartChanges(kill, res))
	if !o.Wait || len(expect) == 0 {
		return res, nil
	}
	waitRestarted(ctx, r.waitCtx, cfg, o, expect, res)
	return res, ctx.Err()
}

// progressf writes one progress line when the config asks for progress.
func progressf(w io.Writer, format string, a ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", a...)
	}
}
