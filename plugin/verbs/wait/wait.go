// Package wait implements `kubectl drunc wait`: block until the selected
// processes meet a condition, on the shared informer cache, and explain
// each process that did not.
package wait

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// Exit codes: 1 for errors before waiting (bad flags, API refusal), 2 when
// the condition was not met (timeout, a process died, nothing selected).
const exitNotMet = 2

// Options of wait.
type Options struct {
	f          *cli.Factory
	Select     selector.Selection
	For        string
	Timeout    time.Duration
	AllowDead  bool
	AllowEmpty bool

	cond waitfor.Condition
}

// NewCmd returns `kubectl drunc wait`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "wait [NAME-REGEX ...] --for=CONDITION",
		Short: "Wait until the selected processes are ready, running, dead, deleted or exited",
		Long: `Wait until every selected process meets a condition, watching the cluster
(no polling):

  ready      running and Ready
  running    its container runs (ready or not)
  dead       it exited (any exit code) or its pod is gone
  deleted    its pod is gone
  exit=N     it exited with code N (-1: killed while it ran, as ps shows)

The selection is ps's: -n SESSION or -A, NAME-REGEX arguments searched in
the process name, --user, --uuid, --role, -l. Processes that appear while
waiting join the selection (except for --for=deleted, which follows the pods
selected at the start). In a session with a record (booted by kubectl
drunc), a process without a pod that ps shows as Killed (killed with
kubectl drunc, until flushed) or Lost is waited for too: it is dead and
deleted already, meets exit=N when N is its recorded exit code, and can no
longer be ready or running — unless --allow-dead, which waits for it to be
restarted.

Exit code 0 when all meet the condition. Otherwise exit code 2 and a line
per process that did not, with its status, exit code and last event: on
--timeout; at once when a process dies while waiting for ready or running
(--allow-dead keeps waiting, e.g. for a restart) or exits with another code
than exit=N; and when nothing is selected (--allow-empty makes that a
success).`,
		Example: `  # Wait up to 2 minutes for every process of session run42 to be ready
  kubectl drunc wait -n run42 --for=ready --timeout=2m

  # Wait for the readout applications to finish with exit code 0
  kubectl drunc wait -n run42 '^ru-[0-9]' --for=exit=0

  # Wait until a killed process is gone
  kubectl drunc wait -n run42 root-controller --for=deleted`,
		ValidArgsFunction: cli.CompleteProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	cmd.Flags().StringVar(&o.For, "for", "", "The condition: ready, running, dead, deleted or exit=N (required)")
	cmd.Flags().DurationVar(&o.Timeout, "timeout", 30*time.Second, "How long to wait; 0 waits forever")
	cmd.Flags().BoolVar(&o.AllowDead, "allow-dead", false, "Keep waiting for ready/running when a process dies, instead of failing at once")
	cmd.Flags().BoolVar(&o.AllowEmpty, "allow-empty", false, "Succeed when no process is selected")
	_ = cmd.RegisterFlagCompletionFunc("for", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []cobra.Completion{"ready", "running", "dead", "deleted", "exit="}, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(f *cli.Factory, _ *cobra.Command, args []string) error {
	return o.Select.Complete(f, args)
}

// Validate checks the flags before any API call.
func (o *Options) Validate() error {
	if o.For == "" {
		return errors.New("--for is required: ready, running, dead, deleted or exit=N")
	}
	cond, err := waitfor.Parse(o.For)
	if err != nil {
		return err
	}
	o.cond = cond
	if o.Timeout < 0 {
		return fmt.Errorf("--timeout=%s must not be negative", o.Timeout)
	}
	return nil
}

// Run waits.
func (o *Options) Run(ctx context.Context) error {
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	t, err := o.Select.Open(ctx, informers.Config{WithRecord: true})
	if err != nil {
		return err
	}
	res, err := waitfor.Until(ctx, t.Cache, o.Select.Selector.Matches, o.cond,
		waitfor.Options{AllowDead: o.AllowDead, AllowEmpty: o.AllowEmpty, Recorded: o.recorded(ctx, t)})
	if err != nil {
		var werr *waitfor.Error
		if errors.As(err, &werr) {
			if werr.Reason == waitfor.Empty {
				return &cli.ExitError{Code: exitNotMet, Err: fmt.Errorf("no process matches the selection %s (see `kubectl drunc ps`; --allow-empty makes this a success)%s", o.scope(), t.Hint())}
			}
			return &cli.ExitError{Code: exitNotMet, Err: err}
		}
		return err
	}
	for _, v := range res.Met {
		fmt.Fprintf(o.f.Streams.Out, "%s/%s condition met (%s)\n", v.Session, v.Name, o.cond)
	}
	return nil
}

// recorded are the selected processes the session record keeps without a
// pod (killed, lost), as ps shows them: a session with one is not all
// ready. A record that cannot be read is a warning: the pods are waited for.
func (o *Options) recorded(ctx context.Context, t *selector.Target) []process.View {
	found, err := t.Recorded(ctx, t.Cache.Pods(), sessionrecord.ClassKilled, sessionrecord.ClassLost)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed and lost processes are not all waited for: %v\n", err)
	}
	views := make([]process.View, len(found))
	for i := range found {
		views[i] = found[i].View(t.Cache.Keys())
	}
	return views
}

func (o *Options) scope() string {
	if o.Select.Namespace == "" {
		return "in any session"
	}
	return fmt.Sprintf("in session %q", o.Select.Namespace)
}
