// Package status implements `kubectl drunc status`: is a session healthy,
// and if not, what is wrong (plugin/health computes it from the shared
// informer cache).
package status

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
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
	Select selector.Options
	Output string

	namespace string
	sel       *selector.Selector
	printer   printers.ResourcePrinter
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
		ValidArgsFunction: cli.CompleteProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Complete(args); err != nil {
				return &cli.ExitError{Code: exitError, Err: err}
			}
			if err := o.Validate(); err != nil {
				return &cli.ExitError{Code: exitError, Err: err}
			}
			return o.Run(cmd.Context())
		},
	}
	// A mistyped flag is an error too (exit 2), not "unhealthy".
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cli.ExitError{Code: exitError, Err: err} })
	selector.AddFlags(cmd, &o.Select)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "Output format: json or yaml (schema "+health.SchemaVersion+" "+health.Kind+", see above); default the human screen")
	_ = cmd.RegisterFlagCompletionFunc("output", cli.CompleteFixed("json", "yaml"))
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(args []string) (err error) {
	o.namespace, err = o.Select.Complete(o.f, args)
	return err
}

// Validate compiles the selection and the printer, before any API call.
func (o *Options) Validate() (err error) {
	if o.sel, err = o.Select.Compiled(); err != nil {
		return err
	}
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
// unhealthy selection 1.
func (o *Options) Run(ctx context.Context) error {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the informers
	r, err := o.report(ctx)
	if err != nil {
		return &cli.ExitError{Code: exitError, Err: err}
	}
	if o.printer != nil {
		err = o.printer.PrintObj(r, o.f.Streams.Out)
	} else if len(r.Sessions) > 0 {
		err = dprinters.PrintStatus(o.f.Streams.Out, r, o.namespace == "", time.Now())
	}
	if err != nil {
		return &cli.ExitError{Code: exitError, Err: err}
	}
	return unhealthy(r, o.namespace)
}

// report starts the cache, its node and event informers, and summarizes.
func (o *Options) report(ctx context.Context) (*health.Report, error) {
	client, err := o.f.WatchClient()
	if err != nil {
		return nil, err
	}
	c, err := informers.Start(ctx, o.sel.Narrow(informers.Config{Client: client, Namespace: o.namespace, WithEvents: true, WithNodes: true}))
	if err != nil {
		return nil, err
	}
	pods := o.sel.Select(c.Pods())
	if len(pods) == 0 && o.namespace != "" {
		if err := o.sessionExists(ctx); err != nil {
			return nil, err
		}
	}
	wctx, wcancel := context.WithTimeout(ctx, extrasTimeout)
	defer wcancel()
	in := health.Input{Pods: pods, Keys: c.Keys()}
	if err := c.NodesSynced(wctx); err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: hosts not checked: %v\n", err)
	} else {
		in.Nodes = health.NodesOf(c.Nodes())
	}
	if err := c.WaitEvents(wctx); err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: reasons without events: %v\n", err)
	} else {
		in.LastWarning = c.LastWarning
	}
	in.Absent = o.absent(ctx, c.Pods())
	return health.Summarize(in), nil
}

// sessionExists tells a session without processes from a typo.
func (o *Options) sessionExists(ctx context.Context) error {
	cs, err := o.f.Clientset()
	if err != nil {
		return err
	}
	_, err = cs.CoreV1().Namespaces().Get(ctx, o.namespace, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("session %q not found (see kubectl drunc status -A)", o.namespace)
	}
	return err
}

// unhealthy is the exit status: nil when every selected process is Ready.
func unhealthy(r *health.Report, namespace string) error {
	if len(r.Sessions) == 0 {
		where := "in any session"
		if namespace != "" {
			where = fmt.Sprintf("in session %q", namespace)
		}
		return &cli.ExitError{Code: exitUnhealthy, Err: fmt.Errorf("no processes found %s", where)}
	}
	if r.Healthy {
		return nil
	}
	bad, total := 0, 0
	for _, s := range r.Sessions {
		bad += s.Processes - s.Ready
		total += s.Processes
	}
	return &cli.ExitError{Code: exitUnhealthy, Err: fmt.Errorf("%d of %d processes are not Ready", bad, total)}
}
