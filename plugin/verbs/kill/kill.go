// Package kill implements `kubectl drunc kill`: the selected processes are
// deleted in drunc's stage order, each stage waited for on the informer.
package kill

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/lifecycleverb"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Options of kill.
type Options struct {
	f       *cli.Factory
	Select  selector.Selection
	Print   *dprinters.Flags
	Grace   lifecycleverb.GraceFlags
	Timeout time.Duration
}

// NewCmd returns `kubectl drunc kill`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Print: dprinters.NewFlags()}
	cmd := &cobra.Command{
		Use:   "kill [NAME-REGEX ...] (-n SESSION | -A) [--grace-period=N | --force]",
		Short: "Kill the selected processes in drunc's stage order",
		Long: `Kill processes: their pods are deleted in the order drunc kills a session —
processes of unknown role, applications, segment controllers (deepest tree
level first, one stage per level), the root controller, the infrastructure
applications, and the local connection server last. Each stage waits until
its pods are gone (seen on a watch, never polled) before the next starts;
a stage that does not finish within --timeout is reported and the next one
goes on, and the command then exits non-zero.

A selection is required, as ps reads it: NAME-REGEX arguments (searched in
the process name), --uuid, --user, --role, -l, or a whole session with -n
(every session with -A). Only pods carrying drunc's creator label are ever
deleted, each by its UID, so a process restarted meanwhile is left alone.

The table of killed processes shows each one's exit code, -1 when none was
recorded (it was still running when its pod went).

A session booted by kubectl drunc keeps a record of its processes (what
boot created): kill marks each killed process Killed there, with that exit
code, in one write per record shard touched. ps and status then show it as
Killed until flush forgets it, and restart creates it again from the
record. A process whose pod went another way (kubectl delete pod, a lost
node) shows as Lost instead. A record that cannot be written is a warning:
the kill itself succeeded. Sessions booted by drunc's Python process
manager have no record and are killed as ever.`,
		Example: `  # Kill every process of session run42, in stage order
  kubectl drunc kill -n run42

  # Kill the readout applications of run42 only (ru-01, ru-02: not ru-controller)
  kubectl drunc kill -n run42 '^ru-[0-9]'

  # Simulate a crash: no grace period (drunc's --crash)
  kubectl drunc kill -n run42 --uuid 3f2c9d4e-8a1b-4c6d-9e0f-1a2b3c4d5e6f --force

  # Give every process 5 s to stop, and each stage 20 s at most
  kubectl drunc kill -n run42 --role application --grace-period=5 --timeout=20s`,
		ValidArgsFunction: cli.CompleteProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	o.Print.AddFlags(cmd)
	fs := cmd.Flags()
	o.Grace.AddFlags(fs, "Seconds each process is given to stop; -1 keeps each pod's own terminationGracePeriodSeconds (drunc's kill_timeout)",
		"Delete at once, with no grace period (drunc's --crash); same as --grace-period=0")
	fs.DurationVar(&o.Timeout, "timeout", 0, "How long each stage waits for its processes to be gone; 0 means the stage's longest grace period plus 15s")
	return cmd
}

// Complete reads the selection, which kill requires.
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
	if o.Timeout < 0 {
		return fmt.Errorf("--timeout=%s must not be negative", o.Timeout)
	}
	_, err := o.Print.ToPrinter()
	return err
}

// Config is the engine configuration the flags say.
func (o *Options) Config(t *selector.Target) lifecycle.Config {
	cfg := lifecycle.Config{Client: t.Client, Cache: t.Cache, StageTimeout: o.Timeout, Progress: o.f.Streams.ErrOut}
	o.Grace.Apply(&cfg)
	return cfg
}

// Run kills and prints what was killed.
func (o *Options) Run(ctx context.Context) error {
	t, err := o.Select.Open(ctx, informers.Config{})
	if err != nil {
		return err
	}
	if len(t.Pods) == 0 {
		return t.NoneSelected()
	}
	res, err := lifecycle.Kill(ctx, o.Config(t), t.Pods)
	if res != nil {
		lifecycleverb.Record(ctx, o.f.Streams.ErrOut, t.Client, lifecycle.KilledChanges(res.Killed), lifecycleverb.KilledMeaning)
		lifecycleverb.Explain(res.Killed)
		if perr := lifecycleverb.Print(o.f.Streams.Out, o.Print, lifecycleverb.Views(res.Killed, "Killed"), o.Select.Namespace == ""); perr != nil {
			return perr
		}
	}
	if err != nil {
		return cli.Interrupted(ctx, fmt.Errorf("kill interrupted: %w", err))
	}
	return res.Err()
}
