package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

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
	// A gate with processes behind it is waited for with or without Wait,
	// its Ready wait bounded by ReadyTimeout too.
	Wait         bool
	ReadyTimeout time.Duration
	// Probe: once Ready, a process behind a NodePort (the LCS, a root
	// controller with a port) must answer on its node, as boot checks it;
	// every ProbeInterval (default 1 s). Each probe has a deadline of its
	// own, ReadyTimeout from when it starts. Gates are probed before what
	// is behind them; the other processes with Wait.
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
	// ByOther: another client (a restart in another terminal) created the
	// same process (same uuid) at the same moment; Pod is the one it made,
	// waited for as this restart's own.
	ByOther bool
	Err     error

	// checked: it passed a gate (Ready, probed), so the final wait does not
	// probe it again; gateFailed: it did not, and is not waited for again.
	checked, gateFailed bool
	// replaces: see plan.replaces.
	replaces types.UID
}

// RestartResult is the kill, then each recreation, then the wait.
type RestartResult struct {
	Kill      *KillResult
	Recreated []Recreated
	// GateErr names each gate (the local connection server, the root
	// controller of a session) that did not pass, so that the processes
	// behind it were not created.
	GateErr error
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
	errs = append(errs, r.GateErr)
	for _, c := range r.Recreated {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("%s/%s not restarted: %w", c.Session, c.Name, c.Err))
		}
	}
	errs = append(errs, r.WaitErr)
	return errors.Join(errs...)
}

// Restart first checks that every process's host can run it (one node
// LIST; a *hosts.Error, nothing killed, when one cannot). It then kills the
// given processes (stage order, waited for), then
// recreates each under the same name, uuid, tree id and spec: from its boot
// record annotation when it has one (rendered again, as boot rendered it),
// else from its pod spec stripped of server-set fields (pods booted by
// drunc's Python manager). Its service is recreated too, owned by the new
// pod and keeping its ClusterIP. A process whose new pod cannot be worked
// out is not killed. The new pods are created in boot order through
// plugin/procreate (boot's retries and undo) and, as boot, the local
// connection server and the root controller are gates (procreate.Gate):
// the later processes of their session are created once they are Ready
// and answer, and not at all when they do not (GateErr). With Wait the
// call returns once every new pod is Ready (waitfor, as boot waits) and
// answers. A process that another client created again at the same moment
// (same uuid) is taken as restarted (ByOther) and waited for.
//
// Processes without a pod (o.Recorded) are created from their session
// record's spec, in the same boot order. The record then says each
// restarted process is Booted with its new pod (RecordErr when it could
// not be written; sessions without a record are left without one).
func Restart(ctx context.Context, cfg Config, pods []*corev1.Pod, o RestartOptions) (*RestartResult, error) {
	res := &RestartResult{}
	if err := checkRestartHosts(ctx, cfg, pods, o.Recorded); err != nil {
		return res, err
	}
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
	expect := r.recreateStages(bootStages(kill, byUID, recorded, cfg), o, res)
	// Recorded before the wait: the new pods exist whether or not they
	// become Ready, and an interrupted wait must not lose them.
	res.RecordErr = Record(ctx, cfg.Client, restartChanges(kill, res))
	if !o.Wait || len(expect) == 0 {
		return res, ctx.Err()
	}
	r.waitRestarted(ctx, o, expect, res)
	return res, ctx.Err()
}

// progressf writes one progress line when the config asks for progress.
func progressf(w io.Writer, format string, a ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", a...)
	}
}
