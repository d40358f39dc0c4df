// Package ps implements `kubectl drunc ps`: the processes of a session (or
// of all sessions) from the shared informer cache, as a tree-ordered table
// or any kubectl output format, optionally watched live.
package ps

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/printers"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Options of ps.
type Options struct {
	f           *cli.Factory
	Select      selector.Selection
	Print       *dprinters.Flags
	Watch       bool
	WatchEvents bool
	// Statuses and Problems are --status and --problems; SortBy --sort-by.
	Statuses []string
	Problems bool
	SortBy   string

	printer printers.ResourcePrinter
}

// NewCmd returns `kubectl drunc ps`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Print: dprinters.NewFlags()}
	cmd := &cobra.Command{
		Use:   "ps [NAME-REGEX ...]",
		Short: "List the processes of a session (or of all sessions with -A)",
		Long: `List the processes of a session: one row per pod carrying drunc's creator
label, whoever booted it (kubectl drunc or drunc's Python process manager),
in control-tree order with names indented by tree level (siblings in
tree-id order: the configuration's, as config processes and boot list them).

NAME-REGEX arguments are regular expressions searched in the process name;
a process is listed if any matches. --user, --uuid, --role, --host and -l
narrow the selection further (every selecting verb has them, so what ps
lists is what kill would act on); --status and --problems filter by what
STATUS shows, so they belong to ps alone. All filters combine with AND and
keep the session's order; --sort-by orders the rows instead, by a table
column or, as kubectl get does, by a JSONPath over the pod.

STATUS is what kubectl get pods shows, plus Unschedulable (the scheduler
found no node), NotReady (running but not ready) and NodeLost (its node
stopped reporting); a Pending process is never shown as running. EXIT is
the exit code once the process ended. When the session has a record
(booted by kubectl drunc), a process killed with kubectl drunc shows as
Killed with EXIT -1 (drunc's convention) until flushed, and one whose pod
vanished otherwise (deleted by hand, lost with its node) as Lost; these
rows are in the table only (-o json|yaml|name print pods), and -A lists
them also for a session whose every process was killed. On a terminal
STATUS is coloured by state (see --color; NO_COLOR disables it).

With -w, ps prints the table, then one line per change as it happens; it
survives watch restarts and apiserver restarts, and exits 0 on Ctrl-C or
once the session of -n is gone (terminated), saying so on stderr. A
process whose pod is deleted (killed, flushed, or deleted by anyone) ends
on a line with STATUS Deleted (a DELETED event with
--output-watch-events). In a session with a record, the table follows the
record too: a process killed with kubectl drunc comes back on a line with
STATUS Killed (EXIT as ps shows it, -1 if it ran; an ADDED event) once
kill recorded it; a process
whose pod vanished otherwise shows Lost when the record next changes; and
flush ends a Killed or Lost row on a line with STATUS Flushed (a DELETED
event). A change that alters nothing shown prints nothing. Following the
records takes list and watch on configmaps (kubectl drunc rbac grants
them); without them ps -w warns and follows the pods only, and ps without
-w reads the record of each session that has pods.`,
		Example: `  # The processes of session run42, as a tree
  kubectl drunc ps -n run42

  # Every session, with uuid, tree id, user, IP and executable
  kubectl drunc ps -A -o wide

  # Readout applications of user alice, as YAML
  kubectl drunc ps -n run42 '^ru-[0-9]' --user alice -o yaml

  # What is wrong: every process that is not running and ready
  kubectl drunc ps -n run42 --problems

  # The processes on one host, and those that exited with an error or are not ready
  kubectl drunc ps -n run42 --host np02-srv-002
  kubectl drunc ps -n run42 --status Error --status NotReady

  # Sorted by host, or by any pod field as kubectl get does
  kubectl drunc ps -n run42 --sort-by HOST
  kubectl drunc ps -A --sort-by '{.metadata.creationTimestamp}'

  # Watch the session live, with the event type of each change
  kubectl drunc ps -n run42 -w --output-watch-events`,
		ValidArgsFunction: cli.CompleteKnownProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	o.Print.AddFlags(cmd)
	cmd.Flags().BoolVarP(&o.Watch, "watch", "w", false, "After listing, print one line per change until interrupted")
	cmd.Flags().BoolVar(&o.WatchEvents, "output-watch-events", false, "With --watch, print the event type (ADDED, MODIFIED, DELETED) of each change")
	cmd.Flags().StringSliceVar(&o.Statuses, "status", nil, "Only processes whose STATUS is this (e.g. Error, NotReady, Killed; any case; repeatable)")
	cmd.Flags().BoolVar(&o.Problems, "problems", false, "Only processes that are not running and ready (STATUS other than Running)")
	cmd.Flags().StringVar(&o.SortBy, "sort-by", "", "Sort by a JSONPath over the pod, as kubectl get (e.g. '{.spec.nodeName}'), or by a column: NAME, ROLE, HOST, STATUS, EXIT, RESTARTS, AGE, SESSION")
	_ = cmd.RegisterFlagCompletionFunc("status", cli.CompleteFixed(Statuses...))
	_ = cmd.RegisterFlagCompletionFunc("sort-by", cli.CompleteFixed(sortColumnNames()...))
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(f *cli.Factory, _ *cobra.Command, args []string) error {
	return o.Select.Complete(f, args)
}

// Validate compiles the selection and the printer, before any API call.
func (o *Options) Validate() error {
	if o.WatchEvents && !o.Watch {
		return fmt.Errorf("--output-watch-events needs --watch (-w)")
	}
	if o.SortBy != "" && o.Watch {
		return fmt.Errorf("--sort-by cannot be used with --watch (-w): changes are printed as they happen")
	}
	if o.SortBy != "" && sortColumn(o.SortBy) == nil {
		if _, err := dprinters.RelaxedJSONPathExpression(o.SortBy); err != nil {
			return fmt.Errorf("--sort-by %q is neither a column (%s) nor a JSONPath: %v", o.SortBy, columnNames(), err)
		}
	}
	p, err := o.Print.ToPrinter()
	if err != nil {
		return err
	}
	o.printer = p
	return nil
}

// Run lists (and watches) the processes.
func (o *Options) Run(ctx context.Context) error {
	t, err := o.Select.Open(ctx, informers.Config{
		Full: o.Print.NeedsFullObjects(), KeepManagedFields: o.Print.ShowManagedFields(),
		// The table shows (and -w follows) the session records too: their
		// LIST runs alongside the pods'.
		WithRecord: o.Print.Human(),
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil // Ctrl-C before the first list
		}
		return err
	}
	if o.Watch {
		ctx, stop := t.UntilSessionGone(ctx, o.f.Streams.ErrOut)
		defer stop()
		return o.watch(ctx, t)
	}
	views, selected, err := o.views(ctx, t)
	if err != nil {
		return err
	}
	if len(views) == 0 && o.Print.Human() {
		fmt.Fprintln(o.f.Streams.ErrOut, o.noneShown(t, selected))
		return nil
	}
	return dprinters.Print(o.out(), o.Print, o.printer, views, o.tableOptions())
}

// selection is what the STATUS filter was given: how many processes, and
// their statuses with counts in order of first row ("Running (9), Killed
// (1)"), so an empty result says what --status could have matched.
type selection struct {
	count    int
	statuses string
}

func selectionOf(views []process.View) selection {
	var order []string
	count := map[string]int{}
	for i := range views {
		st := views[i].Status
		if count[st] == 0 {
			order = append(order, st)
		}
		count[st]++
	}
	words := make([]string, len(order))
	for i, st := range order {
		words[i] = st
		if len(views) > 1 {
			words[i] = fmt.Sprintf("%s (%d)", st, count[st])
		}
	}
	return selection{count: len(views), statuses: strings.Join(words, ", ")}
}

// views are the selected processes: the live ones and, in the table, the
// recorded ones without a pod (Killed, Lost); filtered by STATUS and
// sorted by --sort-by, else in the session's order.
// selected is what the STATUS filter was given.
func (o *Options) views(ctx context.Context, t *selector.Target) (views []process.View, selected selection, err error) {
	if o.Print.Human() {
		pods := t.Cache.Pods()
		gone := recordedGone(ctx, t, pods, o.f.Streams.ErrOut)
		views = selector.Merged(pods, gone, t.Cache.Keys(), o.Select.Selector.Matches)
	} else {
		views = t.Views()
	}
	selected = selectionOf(views)
	views = statusFilter{statuses: o.Statuses, problems: o.Problems}.apply(views)
	if o.SortBy == "" {
		return views, selected, nil
	}
	return views, selected, sortViews(views, o.SortBy)
}

// noneShown says why the table is empty: nothing selected, or every
// selected process filtered out by --problems or --status (then it says
// which statuses they have).
func (o *Options) noneShown(t *selector.Target, selected selection) string {
	if selected.count == 0 {
		return t.NoneFound()
	}
	statuses := strings.Join(o.Statuses, " or ")
	switch {
	case o.Problems && len(o.Statuses) == 0 && selected.count == 1:
		return fmt.Sprintf("No problems: the selected process is %s and ready.", StatusReady)
	case o.Problems && len(o.Statuses) == 0:
		return fmt.Sprintf("No problems: all %d selected processes are %s and ready.", selected.count, StatusReady)
	case selected.count == 1:
		return fmt.Sprintf("The selected process does not have STATUS %s: it is %s.", statuses, selected.statuses)
	}
	return fmt.Sprintf("None of the %d selected processes has STATUS %s: their STATUS is %s.", selected.count, statuses, selected.statuses)
}

// out is stdout, through the STATUS colouring when the table goes to a
// terminal (see cli.ColorEnabled: --color, NO_COLOR).
func (o *Options) out() io.Writer {
	if !o.Print.Human() || !cli.ColorEnabled(o.f.Streams.Out) {
		return o.f.Streams.Out
	}
	return dprinters.StatusColorWriter(o.f.Streams.Out, o.statusField())
}

// statusField is the index of the STATUS cell in a table line.
func (o *Options) statusField() int {
	field := 3 // NAME ROLE HOST STATUS
	if o.Select.Namespace == "" {
		field++ // SESSION
	}
	if o.WatchEvents {
		field++ // EVENT
	}
	return field
}

func (o *Options) tableOptions() dprinters.TableOptions {
	return dprinters.TableOptions{WithSession: o.Select.Namespace == "", KeepOrder: o.SortBy != ""}
}
