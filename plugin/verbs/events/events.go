// Package events implements `kubectl drunc events`: one record per process
// change (state transitions from the shared informer, and the Kubernetes
// events of drunc pods), listed or streamed (plugin/changes).
package events

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/changes"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
)

// Types lists what --types accepts.
var Types = []string{corev1.EventTypeNormal, corev1.EventTypeWarning}

// Options of events.
type Options struct {
	f      *cli.Factory
	Select selector.Selection
	For    []string
	Types  []string
	Watch  bool
	Output string

	names []*regexp.Regexp
}

// NewCmd returns `kubectl drunc events`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "events",
		Short: "List or stream the changes of processes: state transitions and their events",
		Long:  longHelp,
		Example: `  # What happened to the processes of session run42
  kubectl drunc events -n run42

  # Stream warnings of every session as JSON, one object per line, for alerting
  kubectl drunc events -A -w --types Warning -o json

  # The changes of the readout applications only
  kubectl drunc events -n run42 --for '^ru-[0-9]'`,
		// kubectl events selects with --for, and so does this one; say so
		// rather than cobra's "unknown command".
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("events takes no arguments: select processes with --for NAME-REGEX (e.g. --for '^%s$'), as kubectl events does", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	fl := cmd.Flags()
	fl.StringSliceVar(&o.For, "for", nil, "Only processes whose name matches this regular expression (repeatable)")
	fl.StringSliceVar(&o.Types, "types", nil, "Only records of these types: Normal, Warning (repeatable, comma-separated)")
	fl.BoolVarP(&o.Watch, "watch", "w", false, "After listing, print each change as it happens until interrupted")
	fl.StringVarP(&o.Output, "output", "o", "", "Output format: json (one object per line, schema "+changes.SchemaVersion+" "+changes.Kind+") or yaml; default a table")
	_ = cmd.RegisterFlagCompletionFunc("types", cli.CompleteFixed(Types...))
	_ = cmd.RegisterFlagCompletionFunc("output", cli.CompleteFixed("json", "yaml"))
	return cmd
}

// Complete resolves the session scope; --for are the name regexes.
func (o *Options) Complete(f *cli.Factory, _ *cobra.Command, _ []string) error {
	if err := o.Select.Complete(f, o.For); err != nil {
		return err
	}
	for _, n := range o.For {
		o.names = append(o.names, regexp.MustCompile(n)) // compiled by Complete
	}
	return nil
}

// Validate checks --types and -o.
func (o *Options) Validate() error {
	for i, t := range o.Types {
		k := slices.IndexFunc(Types, func(v string) bool { return strings.EqualFold(v, t) })
		if k < 0 {
			return fmt.Errorf("--types %q is not an event type: use Normal or Warning", t)
		}
		o.Types[i] = Types[k]
	}
	switch o.Output {
	case "", "json", "yaml":
		return nil
	}
	return fmt.Errorf("--output %q is not supported by events: use json or yaml (or nothing, for the table)", o.Output)
}

// Run lists (and with -w streams) the records. A session that does not
// exist is an error naming it (Open).
func (o *Options) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the informers
	t, err := o.Select.Open(ctx, informers.Config{WithEvents: true})
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while starting
		}
		return err
	}
	if o.Watch {
		var stop context.CancelFunc
		ctx, stop = t.UntilSessionGone(ctx, o.f.Streams.ErrOut)
		defer stop()
	}
	printRecord, listed := printerFor(o.f.Streams.Out, o.Output, o.Select.Namespace == "")
	n := 0
	err = changes.Stream(ctx, t.Cache, changes.Config{
		Matches: o.Select.Selector.Matches, MatchesName: o.matchesName, Types: o.Types, Watch: o.Watch, Listed: listed,
	}, func(r changes.Record) error {
		n++
		return printRecord(r)
	})
	if err == nil && n == 0 && !o.Watch {
		fmt.Fprintln(o.f.Streams.ErrOut, o.noneFound()+t.Hint())
	}
	return err
}

// matchesName selects the events of pods gone before the start by name
// only: their labels are gone with them.
func (o *Options) matchesName(name string) bool {
	if o.Select.Selector.Filtered() && len(o.names) == 0 {
		return false // selected by labels: cannot tell
	}
	return len(o.names) == 0 || slices.ContainsFunc(o.names, func(re *regexp.Regexp) bool { return re.MatchString(name) })
}

func (o *Options) noneFound() string {
	if o.Select.Namespace == "" {
		return "No process changes found in any session."
	}
	return fmt.Sprintf("No process changes found in session %q.", o.Select.Namespace)
}
