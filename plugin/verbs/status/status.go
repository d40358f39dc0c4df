// Package status implements `kubectl drunc status`: is a session healthy,
// and if not, what is wrong (plugin/health computes it from the shared
// informer cache).
package status

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Exit codes, as documented in the help.
const (
	exitUnhealthy = 1
	exitError     = 2
)

// extrasTimeout bounds the wait for nodes and events: without them the
// status is still right about the pods, so it is printed with a warning.
const extrasTimeout = 10 * time.Second

// Options of status.
type Options struct {
	f      *cli.Factory
	Select selector.Selection
	Output string

	printer printers.ResourcePrinter
}

// NewCmd returns `kubectl drunc status`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "status [NAME-REGEX ...]",
		Short: "Say whether a session is healthy and, if not, what is wrong",
		Long:  longHelp,
		Example: `  # Is session run42 healthy? Problems first, then hosts, restarts and counts
  kubectl drunc status -n run42

  # One line per session
  kubectl drunc status -A

  # For scripts and CI: the exit code alone (0 healthy, 1 not, 2 error)
  kubectl drunc status -n run42 >/dev/null && echo healthy

  # The names of the processes that are not Ready, from the JSON schema
  kubectl drunc status -n run42 -o json | jq -r '.sessions[].problems[].name'`,
		ValidArgsFunction: cli.CompleteKnownProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return asError(cli.Run(o, f, cmd, args))
		},
	}
	// A mistyped flag is an error too (exit 2), not "unhealthy".
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cli.ExitError{Code: exitError, Err: err} })
	o.Select.AddFlags(cmd)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "Output format: json or yaml (schema "+health.SchemaVersion+" "+health.Kind+", see above); default the human screen")
	_ = cmd.RegisterFlagCompletionFunc("output", cli.CompleteFixed("json", "yaml"))
	return cmd
}

// asError gives every error status's exit code 2 (1 would read as
// "unhealthy"), except the unhealthy outcome itself.
func asError(err error) error {
	var e *cli.ExitError
	if err == nil || errors.As(err, &e) {
		return err
	}
	return &cli.ExitError{Code: exitError, Err: err}
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(f *cli.Factory, _ *cobra.Command, args []string) error {
	return o.Select.Complete(f, args)
}

// Validate chooses the printer, before any API call.
func (o *Options) Validate() error {
	switch o.Output {
	case "":
	case "json":
		o.printer = &printers.JSONPrinter{}
	case "yaml":
		o.printer = &printers.YAMLPrinter{}
	default:
		return fmt.Errorf("--output %q is not supported by status: use json or yaml (or nothing, for the screen)", o.Output)
	}
	return nil
}

// Run reads the cache once and prints the status. Errors exit 2, an
// unhealthy selection 1 (silently: the output says it).
func (o *Options) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the informers
	t, err := o.Select.Open(ctx, informers.Config{WithEvents: true, WarningEventsOnly: true, WithNodes: true, WithRecord: true})
	if err != nil {
		return err
	}
	r := health.Summarize(o.input(ctx, t))
	if len(r.Sessions) == 0 {
		fmt.Fprintln(o.f.Streams.ErrOut, t.NoneFound())
		// A script still gets its document: nothing selected is not healthy.
		if o.printer != nil {
			r.Healthy, r.Sessions = false, []health.Session{}
			if err := o.printer.PrintObj(r, o.f.Streams.Out); err != nil {
				return err
			}
		}
		return &cli.ExitError{Code: exitUnhealthy, Err: errors.New(t.NoneFound()), Silent: true}
	}
	if o.printer != nil {
		err = o.printer.PrintObj(r, o.f.Streams.Out)
	} else {
		err = dprinters.PrintStatus(o.f.Streams.Out, r, o.Select.Namespace == "", time.Now())
	}
	if err != nil {
		return err
	}
	if !r.Healthy {
		return &cli.ExitError{Code: exitUnhealthy, Err: errors.New("some processes are not Ready"), Silent: true}
	}
	return nil
}

// input gathers what health summarizes: the selected pods, the hosts and
// the last Warning events (each bounded: without them the status is still
// right about the pods, so it is printed with a warning), and the absent
// processes the session record keeps without a pod (absent).
func (o *Options) input(ctx context.Context, t *selector.Target) health.Input {
	wctx, wcancel := context.WithTimeout(ctx, extrasTimeout)
	defer wcancel()
	in := health.Input{Pods: t.Pods, Keys: t.Cache.Keys(), Absent: o.absent(ctx, t)}
	if err := t.Cache.NodesSynced(wctx); err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: hosts not checked: %v\n", err)
	} else {
		in.Nodes = health.NodesOf(t.Cache.Nodes())
	}
	if err := t.Cache.WaitEvents(wctx); err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: reasons without events: %v\n", err)
	} else {
		in.LastWarning = t.Cache.LastWarning
	}
	return in
}
