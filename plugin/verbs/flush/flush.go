// Package flush implements `kubectl drunc flush`: the pods (and services)
// of processes that have exited are removed; running ones stay.
package flush

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/lifecycleverb"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Options of flush.
type Options struct {
	f       *cli.Factory
	Select  selector.Selection
	Print   *dprinters.Flags
	Timeout time.Duration
}

// NewCmd returns `kubectl drunc flush`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Print: dprinters.NewFlags()}
	cmd := &cobra.Command{
		Use:   "flush [NAME-REGEX ...] (-n SESSION | -A)",
		Short: "Remove the processes that have exited, with their exit codes",
		Long: `Remove exited processes: among the selected ones, the pods whose phase is
Succeeded or Failed are deleted with their services, and printed with
their exit codes. Running and starting processes are not touched.

The selection is as in ps and is required (names, --uuid, --user, --role,
-l, or a whole session with -n / -A). Only objects carrying drunc's creator
label are deleted.

In a session booted by kubectl drunc, flush also forgets the selected
processes its record keeps without a pod — killed by kubectl drunc kill, or
lost (their pod deleted another way) — printed with their recorded exit
codes: ps and status no longer show them. Their spec stays in the record,
so restart can still bring one back under the same uuid. With -A every
session with a record is searched for such processes, one whose every
process was killed included. A record that cannot be written is a warning.`,
		Example: `  # Clear the exited processes of session run42
  kubectl drunc flush -n run42

  # Of every session, as names only
  kubectl drunc flush -A -o name

  # Forget one killed process of run42 (ps no longer shows it)
  kubectl drunc flush -n run42 '^ru-01$'`,
		ValidArgsFunction: cli.CompleteKnownProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	o.Print.AddFlags(cmd)
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 15*time.Second, "How long to wait for the flushed pods to be gone")
	return cmd
}

// Complete reads the selection, which flush requires.
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, args []string) error {
	if err := o.Select.Complete(f, args); err != nil {
		return err
	}
	return o.Select.Require(cmd.Name())
}

// Validate checks the output flags.
func (o *Options) Validate() error {
	_, err := o.Print.ToPrinter()
	return err
}

// Run flushes and prints what was flushed: the exited pods, then the
// recorded killed and lost processes (forgotten in the record only).
func (o *Options) Run(ctx context.Context) error {
	// The record is read for the processes without a pod: list it with the pods.
	t, err := o.Select.Open(ctx, informers.Config{WithRecord: true})
	if err != nil {
		return err
	}
	killed := o.killed(ctx, t)
	if len(t.Pods) == 0 && len(killed) == 0 {
		return t.NoneSelected()
	}
	res := &lifecycle.KillResult{}
	if len(t.Pods) > 0 {
		res, err = lifecycle.Flush(ctx, lifecycle.Config{Client: t.Client, Cache: t.Cache, StageTimeout: o.Timeout}, t.Pods)
	}
	if res != nil {
		res.Killed = append(res.Killed, killed...)
		lifecycleverb.Record(ctx, o.f.Streams.ErrOut, t.Client, lifecycle.FlushedChanges(res.Killed),
			"ps and status still show the flushed processes as Killed or Lost")
	}
	if res != nil && len(res.Killed) == 0 && err == nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "No exited process among the %d selected: nothing to flush.\n", len(t.Pods))
		return nil
	}
	if res != nil {
		lifecycleverb.Explain(res.Killed)
		if perr := lifecycleverb.Print(o.f.Streams.Out, o.Print, lifecycleverb.Views(res.Killed, "Flushed"), o.Select.Namespace == ""); perr != nil {
			return perr
		}
	}
	if err != nil {
		return cli.Interrupted(ctx, fmt.Errorf("flush interrupted: %w", err))
	}
	return res.Err()
}

// killed are the selected processes the session record keeps without a
// pod — killed, or lost (deleted another way, or with their node) — as
// flush rows with their recorded exit codes. A record that
// cannot be read is a warning: the exited pods are still flushed.
func (o *Options) killed(ctx context.Context, t *selector.Target) []lifecycle.Killed {
	found, err := t.Recorded(ctx, t.Cache.Pods(), sessionrecord.ClassKilled, sessionrecord.ClassLost)
	if err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed processes not flushed: %v\n", err)
	}
	out := make([]lifecycle.Killed, 0, len(found))
	for i := range found {
		r := &found[i]
		pod, _, _ := r.Shown() // AGE counts from its boot, as ps shows it
		pod.UID = r.Entry.PodUID
		out = append(out, lifecycle.Killed{View: process.FromPod(pod, t.Cache.Keys()), Stage: "flush", Exit: r.Entry.KilledExit(), Gone: true, Deleted: true})
	}
	return out
}
