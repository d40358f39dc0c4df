// Package describe implements `kubectl drunc describe`: each selected
// process as an operator thinks of it, in kubectl describe's layout
// (rendering: printers.DescribeProcess).
package describe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/missing"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/printers"
)

// eventsTimeout bounds the wait for the pod events' first list: describe
// without events is still worth printing.
const eventsTimeout = 10 * time.Second

// Options of describe.
type Options struct {
	f      *cli.Factory
	Select selector.Selection
}

// NewCmd returns `kubectl drunc describe`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "describe [NAME-REGEX ...]",
		Short: "Show a process in detail: what it runs, its state and exit code, and its pod's events",
		Long: `Show each selected process in kubectl describe's layout: its session, role,
tree id, uuid, user and host; what it runs (the executable and argument
vector from the boot record kubectl drunc writes, or the container command
of a process booted by drunc's Python process manager); its environment
and mounts; its status with the container's state, exit code and reason;
and the pod's recent events, which say why a process is Pending (e.g. no
such host) or why it failed.

NAME-REGEX arguments, --user, --uuid, --role and -l select processes as in
ps; without any, every process of the session is described, in tree order.
A process without a pod that the session record keeps, as ps shows it
(Killed by kubectl drunc kill until flushed, with its exit code; or Lost),
is described from the record: what restart would create again. A named
process that neither has a pod nor is recorded is reported with the events
its pod left (for about an hour), and the exit code is 1.`,
		Example: `  # Why is ru-01 not running? (killed: what restart would bring back)
  kubectl drunc describe -n run42 ru-01

  # Every segment controller of the session
  kubectl drunc describe -n run42 --role segment-controller`,
		ValidArgsFunction: cli.CompleteKnownProcessNames(f), // killed ones too: describe shows them
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(f *cli.Factory, _ *cobra.Command, args []string) error {
	return o.Select.Complete(f, args)
}

// Validate compiles the selection before any API call.
func (o *Options) Validate() error {
	return nil
}

// Run describes the selected processes, then the named ones that are gone.
func (o *Options) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the informers
	t, err := o.Select.Open(ctx, informers.Config{Full: true, WithRecord: true})
	if err != nil {
		return err
	}
	c := t.Cache
	recorded, err := t.Recorded(ctx, c.Pods(), sessionrecord.ClassKilled, sessionrecord.ClassLost)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed and lost processes are not all described: %v\n", err)
	}
	views := selector.Merged(c.Pods(), recorded, c.Keys(), o.Select.Selector.Matches)
	standIns := make([]*corev1.Pod, len(recorded))
	for i := range recorded {
		standIns[i] = recorded[i].Recorded
	}
	absent, err := missing.Find(ctx, c, o.Select.Options, standIns...)
	if err != nil {
		return err
	}
	if len(views) == 0 && len(absent) == 0 {
		return &cli.ExitError{Code: 1, Err: errors.New(t.NoneFound())}
	}
	if len(views) > 0 {
		c.StartEvents()
		ectx, ecancel := context.WithTimeout(ctx, eventsTimeout)
		synced := c.EventsSynced(ectx)
		ecancel()
		if !synced {
			fmt.Fprintln(o.f.Streams.ErrOut, "Warning: the pods' events could not be listed in time; describing without them")
		}
	}
	if err := o.describe(c, views, byPod(recorded), absent); err != nil {
		return err
	}
	if len(absent) > 0 {
		now := o.f.Clock.Now()
		for _, n := range absent {
			fmt.Fprintln(o.f.Streams.ErrOut, n.Message(now))
		}
		return &cli.ExitError{Code: 1, Err: fmt.Errorf("%d named process(es) not found%s", len(absent), t.Hint())}
	}
	return nil
}

// byPod indexes the recorded processes by the pod that stands in for each.
func byPod(recorded []selector.RecordedProcess) map[*corev1.Pod]*selector.RecordedProcess {
	out := make(map[*corev1.Pod]*selector.RecordedProcess, len(recorded))
	for i := range recorded {
		out[recorded[i].Recorded] = &recorded[i]
	}
	return out
}

// describe prints the processes (from the session record for those without
// a pod), then the named ones whose pod is gone and that no record keeps.
func (o *Options) describe(c *informers.Cache, views []process.View, recorded map[*corev1.Pod]*selector.RecordedProcess, absent []missing.Name) error {
	out := o.f.Streams.Out
	first := true
	separate := func() {
		if !first {
			fmt.Fprint(out, "\n\n")
		}
		first = false
	}
	for _, v := range views {
		separate()
		d := printers.Description{Pod: v.Pod, Keys: c.Keys(), Events: c.PodEvents(v.UID)}
		if rp := recorded[v.Pod]; rp != nil {
			_, status, exit := rp.Shown()
			d.Events = c.EventsNamed(rp.Session, rp.Name)
			d.Recorded = &printers.RecordedState{Status: status, ExitCode: exit, Since: rp.Entry.KilledAt}
		}
		if err := printers.DescribeProcess(out, d); err != nil {
			return err
		}
	}
	for _, n := range absent {
		if !n.Gone() {
			continue
		}
		separate()
		d := printers.Description{Session: n.Session, Name: n.Name, Keys: c.Keys(), Events: n.Events}
		if err := printers.DescribeProcess(out, d); err != nil {
			return err
		}
	}
	return nil
}
