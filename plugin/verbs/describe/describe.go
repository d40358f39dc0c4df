// Package describe implements `kubectl drunc describe`: each selected
// process as an operator thinks of it, in kubectl describe's layout
// (rendering: printers.DescribeProcess).
package describe

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/missing"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/printers"
)

// eventsTimeout bounds the wait for the pod events' first list: describe
// without events is still worth printing.
const eventsTimeout = 10 * time.Second

// Options of describe.
type Options struct {
	f      *cli.Factory
	Select selector.Options

	namespace string
	sel       *selector.Selector
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
A named process whose pod is gone is reported with the events it left
(for about an hour), and the exit code is 1.`,
		Example: `  # Why is ru-01 not running?
  kubectl drunc describe -n run42 ru-01

  # Every segment controller of the session
  kubectl drunc describe -n run42 --role segment-controller`,
		ValidArgsFunction: cli.CompleteProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Complete(args); err != nil {
				return err
			}
			if err := o.Validate(); err != nil {
				return err
			}
			return o.Run(cmd.Context())
		},
	}
	selector.AddFlags(cmd, &o.Select)
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(args []string) (err error) {
	o.namespace, err = o.Select.Complete(o.f, args)
	return err
}

// Validate compiles the selection before any API call.
func (o *Options) Validate() error {
	sel, err := o.Select.Compiled()
	if err != nil {
		return err
	}
	o.sel = sel
	return nil
}

// Run describes the selected processes, then the named ones that are gone.
func (o *Options) Run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	client, err := o.f.WatchClient()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the informers
	// Full pods: env, mounts and volumes are part of the description.
	c, err := informers.Start(ctx, o.sel.Narrow(informers.Config{Client: client, Namespace: o.namespace, Full: true}))
	if err != nil {
		return err
	}
	var views []process.View
	for _, p := range o.sel.Select(c.Pods()) {
		views = append(views, process.FromPod(p, c.Keys()))
	}
	process.SortTree(views)
	absent, err := missing.Find(ctx, c, o.Select)
	if err != nil {
		return err
	}
	if len(views) == 0 && len(absent) == 0 {
		return &cli.ExitError{Code: 1, Err: fmt.Errorf("%s", o.noneFound())}
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
	if len(absent) > 0 {
		now := time.Now()
		for _, n := range absent {
			fmt.Fprintln(o.f.Streams.ErrOut, n.Message(now))
		}
		return &cli.ExitError{Code: 1, Err: fmt.Errorf("%d named process(es) not found", len(absent))}
	}
	return nil
}

func (o *Options) noneFound() string {
	if o.namespace == "" {
		return "no processes found in any session"
	}
	return fmt.Sprintf("no processes found in session %q (see kubectl drunc ps -n %s)", o.namespace, o.namespace)
}
