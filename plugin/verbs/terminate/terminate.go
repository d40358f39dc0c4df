// Package terminate implements `kubectl drunc terminate`: every process of
// the session(s) is killed in stage order, then the session's namespace is
// deleted if drunc made it.
package terminate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/lifecycleverb"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// DefaultNamespaceTimeout bounds the wait for a namespace to go (the
// namespace controller takes 5-10 s on an idle cluster).
const DefaultNamespaceTimeout = 2 * time.Minute

// Options of terminate.
type Options struct {
	f       *cli.Factory
	Select  selector.Selection // -n / -A and --drunc-label only
	Print   *dprinters.Flags
	Grace   lifecycleverb.GraceFlags
	Wait    bool
	Timeout time.Duration
}

// NewCmd returns `kubectl drunc terminate`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Print: dprinters.NewFlags()}
	cmd := &cobra.Command{
		Use:   "terminate (-n SESSION | -A)",
		Short: "Kill every process of a session, then delete its namespace",
		Long: `Terminate a session: all its processes are killed in drunc's stage order
(as kill does), then the session's namespace is deleted — only if it
carries drunc's creator label. A namespace someone else made is never
deleted: its drunc processes are killed, the namespace and everything else
in it stay, and the command says so. A namespace without that label and
without drunc processes is no session: terminate says there is nothing to
terminate, and exits 1.

The session must be named with -n (or every session with -A): the
kubeconfig context's namespace is not enough. By default the command waits
until the namespace is gone; --wait=false returns once its deletion is
accepted.`,
		Example: `  # End session run42 and remove its namespace
  kubectl drunc terminate -n run42

  # End every session at once, without waiting for the namespaces to go
  kubectl drunc terminate -A --wait=false

  # Crash-stop a session (no grace period)
  kubectl drunc terminate -n run42 --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Print.AddFlags(cmd)
	fs := cmd.Flags()
	o.Select.AddScopeFlags(cmd, "Terminate every session")
	o.Grace.AddFlags(fs, "Seconds each process is given to stop; -1 keeps each pod's own terminationGracePeriodSeconds",
		"Kill at once, with no grace period (drunc's --crash)")
	fs.BoolVar(&o.Wait, "wait", true, "Wait until the namespace is gone")
	fs.DurationVar(&o.Timeout, "timeout", 0, "Bound of each wait: every kill stage (default its grace period plus 15s) and the namespace deletion (default 2m)")
	return cmd
}

// Complete reads the scope, which must be -n SESSION or -A.
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, args []string) error {
	if err := o.Select.Complete(f, args); err != nil {
		return err
	}
	return o.Select.RequireSession(cmd.Name())
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

// Run terminates and prints the killed processes; namespace outcomes go to
// stderr.
func (o *Options) Run(ctx context.Context) error {
	t, err := o.Select.Open(ctx, informers.Config{})
	if err != nil {
		return err // a session that does not exist is said so here
	}
	c, pods := t.Cache, t.Pods
	namespaces, err := o.sessions(ctx, t)
	if err != nil {
		return err
	}
	if len(namespaces) == 0 {
		return errors.New("no drunc session found in any namespace; `kubectl drunc ps -A` lists them")
	}
	cfg := lifecycle.Config{Client: t.Client, Cache: c, StageTimeout: o.Timeout, Progress: o.f.Streams.ErrOut}
	o.Grace.Apply(&cfg)
	nsTimeout := o.Timeout
	if nsTimeout == 0 {
		nsTimeout = DefaultNamespaceTimeout
	}
	res, err := lifecycle.Terminate(ctx, cfg, namespaces, pods, lifecycle.TerminateOptions{Wait: o.Wait, Timeout: nsTimeout})
	if res != nil && res.Kill != nil {
		lifecycleverb.Record(ctx, o.f.Streams.ErrOut, t.Client, res.KeptChanges(), lifecycleverb.KilledMeaning)
		lifecycleverb.Explain(res.Kill.Killed)
	}
	if res != nil && res.Kill != nil && len(res.Kill.Killed) > 0 {
		if perr := lifecycleverb.Print(o.f.Streams.Out, o.Print, lifecycleverb.Views(res.Kill.Killed, "Killed"), o.Select.Namespace == ""); perr != nil {
			return perr
		}
	}
	if err != nil {
		return cli.Interrupted(ctx, fmt.Errorf("terminate interrupted: %w", err))
	}
	return res.Err()
}

// sessions are the namespaces to terminate: -n's, or with -A every
// namespace carrying the creator label or holding drunc pods. A -n
// namespace that is neither (default, kube-system) is an error: there is
// nothing to terminate.
func (o *Options) sessions(ctx context.Context, t *selector.Target) ([]string, error) {
	if ns := o.Select.Namespace; ns != "" {
		if len(t.Pods) > 0 {
			return []string{ns}, nil
		}
		n, err := t.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if err != nil {
			return nil, err
		}
		if _, session := n.Labels[t.Cache.Keys().Creator()]; !session {
			return nil, fmt.Errorf("namespace %q is no drunc session (no %s label) and runs no drunc process: nothing to terminate; `kubectl drunc ps -A` lists the sessions", ns, t.Cache.Keys().Creator())
		}
		return []string{ns}, nil
	}
	set := map[string]bool{}
	for _, p := range t.Cache.Pods() {
		set[p.Namespace] = true
	}
	l, err := t.Client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: t.Cache.Keys().CreatorSelector()})
	if err != nil {
		return nil, err
	}
	for _, n := range l.Items {
		if n.DeletionTimestamp == nil {
			set[n.Name] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}
