// Package restart implements `kubectl drunc restart`: each selected process
// is killed, then created again as it was booted, and waited for.
package restart

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/hosts"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/lifecycleverb"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Options of restart.
type Options struct {
	f       *cli.Factory
	Select  selector.Selection
	Print   *dprinters.Flags
	Grace   lifecycleverb.GraceFlags
	Wait    bool
	NoProbe bool
	// ProbeFakeNodes: probe processes on kwok fake nodes too.
	ProbeFakeNodes bool
	Timeout        time.Duration
}

// NewCmd returns `kubectl drunc restart`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Print: dprinters.NewFlags()}
	cmd := &cobra.Command{
		Use:   "restart [NAME-REGEX ...] (-n SESSION | -A)",
		Short: "Kill processes and start them again as they were booted",
		Long: `Restart processes: first, as boot does, restart checks that the host of
every selected process exists, is Ready, is not cordoned and has no
NoSchedule or NoExecute taint (DAQ pods tolerate none), and kills nothing
when one fails (the error names the host, the fix and its processes). Then each selected process is killed (in drunc's stage
order, waited for), then created again with the same name, uuid, tree id
and spec, in boot order, and the command waits until they are Ready — and,
as boot checks them, until a restarted connection server answers HTTP and
a root controller with a port accepts TCP on its node (--no-probe skips it;
each probe has its own --timeout, and says what it waits for every few
seconds). A process on a kwok fake node (annotation kwok.x-k8s.io/node:
fake) is not probed, with a note: nothing runs there.

As at boot, the connection server and the root controller are gates:
when restart creates one of them again together with later processes of
its session, those are created only once it is Ready and, as above,
answers (each gate's Ready wait is bounded by --timeout, with or without
--wait). When a gate does not come up, nothing behind it is created: each
such process is named, stays killed, and the command fails; restart it
again once the gate is up.

The new pod is rendered again from the boot record kubectl drunc keeps on
every pod it boots, so restart works from any terminal and for processes
that already exited. A pod booted by drunc's Python process manager has no
boot record: it is created again from its own spec, without status and the
fields the server set. Each process's service is created again too, owned
by the new pod and keeping its cluster IP.

A process without a pod — killed (kubectl drunc kill), forgotten by flush,
or lost (its pod deleted another way, or with its node) — is created again
from the session record kubectl drunc keeps in the session since boot: the
same name, uuid, tree id and spec, with the processes restarted alongside
it in boot order, waited for and probed the same way. The record then
names each restarted process's new pod. Two restarts of the same process
at the same moment (two terminals) both succeed: the one whose create
comes second says the process was restarted by another client (its pod
has the same uuid) and waits for that pod as for its own; a pod of that
name with another uuid is an error that names it. Sessions booted by
drunc's Python process manager have no record: their live processes
restart as above, and a killed one cannot come back. A record that cannot
be written is a warning, not a failed restart. Shell completion offers the
processes without a pod too.

The selection is as in ps and is required; it matches a process without a
pod by what its record holds (name, uuid, role, user, labels). With -A every
session with a record is searched for such processes, one whose every
process was killed included.`,
		Example: `  # Restart one readout application of session run42
  kubectl drunc restart -n run42 '^ru-01$'

  # Restart every application of run42 (not its controllers), without waiting
  kubectl drunc restart -n run42 --role application --wait=false

  # Bring back a process killed earlier (kubectl drunc kill -n run42 '^ru-01$')
  kubectl drunc restart -n run42 '^ru-01$' --wait=false

  # Restart every process of run42, the running ones too, in boot order:
  # the applications are created once the connection server and the root
  # controller are up
  kubectl drunc restart -n run42 '.'`,
		ValidArgsFunction: cli.CompleteKnownProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	o.Print.AddFlags(cmd)
	fs := cmd.Flags()
	o.Grace.AddFlags(fs, "Seconds each process is given to stop; -1 keeps each pod's own terminationGracePeriodSeconds",
		"Kill at once, with no grace period")
	fs.BoolVar(&o.Wait, "wait", true, "Wait until the restarted processes are Ready")
	fs.DurationVar(&o.Timeout, "timeout", 2*time.Minute, "How long to wait for the restarted processes to be Ready (and answering); also bounds each gate's Ready wait (connection server, root controller) before what needs it is created")
	fs.BoolVar(&o.NoProbe, "no-probe", false, "Do not check, as boot does, that a restarted connection server answers HTTP and a root controller with a port accepts TCP on <node>:<port> (for clusters whose node addresses are not reachable from here)")
	fs.BoolVar(&o.ProbeFakeNodes, "probe-fake-nodes", false, "Probe processes on kwok fake nodes too (skipped by default, with a note: nothing runs on them; for tests that play the process on the node's address)")
	return cmd
}

// Complete reads the selection, which restart requires.
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, args []string) error {
	if err := o.Select.Complete(f, args); err != nil {
		return err
	}
	return o.Select.Require(cmd.Name())
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if err := o.Grace.Validate(); err != nil {
		return err
	}
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout=%s must be positive", o.Timeout)
	}
	_, err := o.Print.ToPrinter()
	return err
}

// Run restarts and prints the restarted processes as they are now.
func (o *Options) Run(ctx context.Context) error {
	// The record is read for the processes without a pod: list it with the pods.
	t, err := o.Select.Open(ctx, informers.Config{WithRecord: true})
	if err != nil {
		return err
	}
	recorded := o.recorded(ctx, t)
	if len(t.Pods) == 0 && len(recorded) == 0 {
		return t.NoneSelected()
	}
	cfg := lifecycle.Config{Client: t.Client, Cache: t.Cache, Progress: o.f.Streams.ErrOut}
	o.Grace.Apply(&cfg)
	res, err := lifecycle.Restart(ctx, cfg, t.Pods, lifecycle.RestartOptions{Wait: o.Wait, ReadyTimeout: o.Timeout, Probe: !o.NoProbe, ProbeFakeNodes: o.ProbeFakeNodes, Recorded: recorded})
	if res != nil && res.Kill != nil {
		lifecycleverb.Explain(res.Kill.Killed)
	}
	if res != nil && res.RecordErr != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: the session record was not updated (%v): the processes were restarted, but the record still names their old pods (should a new pod vanish, ps shows the process as killed instead of lost)\n", res.RecordErr)
	}
	if res != nil {
		var views []process.View
		for _, r := range res.Recreated {
			if r.Err != nil || r.Pod == nil {
				continue
			}
			latest := t.Cache.Get(r.Session, r.Name)
			if latest == nil || latest.UID != r.Pod.UID {
				latest = r.Pod
			}
			views = append(views, process.FromPod(latest, t.Cache.Keys()))
		}
		if len(views) > 0 {
			if perr := lifecycleverb.Print(o.f.Streams.Out, o.Print, views, o.Select.Namespace == ""); perr != nil {
				return perr
			}
		}
	}
	var hostsErr *hosts.Error
	switch {
	case errors.As(err, &hostsErr):
		return err
	case err != nil:
		return cli.Interrupted(ctx, fmt.Errorf("restart interrupted: %w", err))
	}
	return res.Err()
}

// recorded are the selected processes the session record keeps without a
// pod (killed, flushed, lost), to create again from the record. A record
// that cannot be read is a warning: the live processes are still restarted.
func (o *Options) recorded(ctx context.Context, t *selector.Target) []lifecycle.RecordedProcess {
	found, err := t.Recorded(ctx, t.Cache.Pods(), sessionrecord.ClassKilled, sessionrecord.ClassFlushed, sessionrecord.ClassLost)
	if err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: processes without a pod not restarted: %v\n", err)
	}
	out := make([]lifecycle.RecordedProcess, len(found))
	for i, r := range found {
		out[i] = lifecycle.RecordedProcess{Session: r.Session, Entry: r.Entry}
	}
	return out
}
