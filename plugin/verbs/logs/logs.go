// Package logs implements `kubectl drunc logs`: the log lines of one or
// more processes, merged with a [session/name] prefix, optionally followed
// across dropped streams and restarts (engine: plugin/logtail).
package logs

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/logtail"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/missing"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
)

// Options of logs.
type Options struct {
	f      *cli.Factory
	Select selector.Selection

	Tail        int64
	Grep        string
	Include     []string
	Exclude     []string
	Output      string
	Follow      bool
	Since       time.Duration
	SinceTime   string
	Timestamps  bool
	Prefix      bool
	MaxRequests int

	prefixSet bool
	sinceTime time.Time
	include   []*regexp.Regexp
	exclude   []*regexp.Regexp
}

// NewCmd returns `kubectl drunc logs`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "logs [NAME-REGEX ...]",
		Short: "Print (and follow) the logs of processes, merged line by line",
		Long: `Print the logs of the selected processes (the container's output, read
through the API server), by default the last 100 lines of each, as drunc's
logs --how-far does. NAME-REGEX arguments, --user, --uuid, --role and -l
select processes exactly as in ps; without any, every process of the
session is read.

Several processes are merged line by line in time order, each line whole
and prefixed with [session/name] (--prefix defaults to on when more than
one process is selected, or with -A or -f and no exact selection).

--grep keeps the lines containing TEXT (plain text, not a pattern) among
the lines --tail and --since select; on a terminal (or --color=always)
the matches are highlighted. As in stern, --include REGEX keeps only the
lines matching one of the --include expressions and --exclude REGEX drops
the lines matching any --exclude expression (both repeatable, Go regular
expressions, ANDed with --grep).

-o json prints one JSON object per line, for tools: {"session", "process",
"time" (the container runtime's RFC 3339 timestamp), "text"}; --prefix,
--timestamps and colours do not apply. -o raw (the default) prints the
text.

With -f, logs follows every selected process until interrupted, or until
the session of -n is gone (terminated): processes
that appear later (booted, or recreated by restart) are picked up from
their first line; a stream the API server drops is resumed after the last
line printed, without repeating any; a process whose pod is deleted is
reported on stderr. -f follows up to --max-log-requests processes at once,
by default 1000: a whole DUNE session (about 400 processes) is followed
without raising it. As kubectl logs -f, more selected processes than the
limit is an error; processes appearing later wait for a free stream.
Without -f, --max-log-requests is how many logs are read at a time
(default 5).

Notes about processes (not started yet, pod gone) go to stderr. The exit
code is 1 when a named process has no pod or a log could not be read.`,
		Example: `  # The last 100 lines of the run control of session run42
  kubectl drunc logs -n run42 root-controller

  # Follow every readout application, merged with [session/name] prefixes
  kubectl drunc logs -n run42 -f '^ru-[0-9]'

  # Lines mentioning ERROR in the last 1000 lines of each application
  kubectl drunc logs -n run42 --role application --tail 1000 --grep ERROR

  # Everything of the last 10 minutes, with timestamps
  kubectl drunc logs -n run42 ru-01 --since 10m --timestamps

  # Lines of every process matching a regular expression, except debug lines
  kubectl drunc logs -n run42 --include 'ERROR|WARN' --exclude 'DEBUG'

  # One JSON object per line (session, process, time, text), for tools
  kubectl drunc logs -n run42 root-controller -o json`,
		ValidArgsFunction: cli.CompleteProcessNames(f),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	o.Select.AddFlags(cmd)
	fs := cmd.Flags()
	fs.Int64Var(&o.Tail, "tail", logtail.DefaultTail, "Lines of each process to print, from the end (-1: all); default all with --since/--since-time")
	fs.StringVar(&o.Grep, "grep", "", "Only print lines containing this text (highlighted on a terminal)")
	fs.StringArrayVar(&o.Include, "include", nil, "Only print lines matching this regular expression (repeatable: any of them)")
	fs.StringArrayVar(&o.Exclude, "exclude", nil, "Do not print lines matching this regular expression (repeatable)")
	fs.StringVarP(&o.Output, "output", "o", logtail.FormatRaw, "Output format: raw (the text) or json (one object per line: session, process, time, text)")
	_ = cmd.RegisterFlagCompletionFunc("output", cli.CompleteFixed(logtail.FormatRaw, logtail.FormatJSON))
	fs.BoolVarP(&o.Follow, "follow", "f", false, "Stream new lines until interrupted, including processes that appear or restart meanwhile")
	fs.DurationVar(&o.Since, "since", 0, "Only lines newer than this duration, e.g. 5s, 2m, 3h")
	fs.StringVar(&o.SinceTime, "since-time", "", "Only lines after this RFC 3339 time, e.g. 2026-05-01T10:00:00Z")
	fs.BoolVar(&o.Timestamps, "timestamps", false, "Print each line's timestamp (RFC 3339, from the container runtime)")
	fs.BoolVar(&o.Prefix, "prefix", false, "Prefix each line with [session/name] (default: on when several processes may be printed)")
	fs.IntVar(&o.MaxRequests, "max-log-requests", logtail.DefaultMaxRequests, "Maximum concurrent log streams: with -f the most processes followed at once (default 1000), else reads at a time")
	return cmd
}

// Complete resolves the session scope and the selection.
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, args []string) error {
	o.prefixSet = cmd.Flags().Changed("prefix")
	if !cmd.Flags().Changed("tail") && (o.Since != 0 || o.SinceTime != "") {
		o.Tail = -1 // a time window means all of its lines
	}
	if o.Follow && !cmd.Flags().Changed("max-log-requests") {
		o.MaxRequests = logtail.DefaultFollowStreams
	}
	return o.Select.Complete(f, args)
}

// Validate checks the flags before any API call.
func (o *Options) Validate() error {
	if o.MaxRequests < 1 {
		return fmt.Errorf("--max-log-requests must be at least 1, not %d", o.MaxRequests)
	}
	if o.Output != "" && o.Output != logtail.FormatRaw && o.Output != logtail.FormatJSON {
		return fmt.Errorf("--output %q is not supported by logs: use raw or json", o.Output)
	}
	var err error
	if o.include, err = compileAll("include", o.Include); err != nil {
		return err
	}
	if o.exclude, err = compileAll("exclude", o.Exclude); err != nil {
		return err
	}
	if o.Since < 0 {
		return fmt.Errorf("--since must be a positive duration, not %s", o.Since)
	}
	if o.Tail < -1 {
		return fmt.Errorf("--tail must be a number of lines, or -1 for all, not %d", o.Tail)
	}
	if o.SinceTime != "" {
		if o.Since != 0 {
			return errors.New("--since and --since-time cannot be used together")
		}
		t, err := time.Parse(time.RFC3339, o.SinceTime)
		if err != nil {
			return fmt.Errorf("--since-time %q is not an RFC 3339 time such as 2026-05-01T10:00:00Z", o.SinceTime)
		}
		o.sinceTime = t
	}
	return nil
}

// compileAll compiles the expressions of --flag, naming the bad one.
func compileAll(flag string, exprs []string) ([]*regexp.Regexp, error) {
	res := make([]*regexp.Regexp, 0, len(exprs))
	for _, e := range exprs {
		re, err := regexp.Compile(e)
		if err != nil {
			return nil, fmt.Errorf("--%s %q is not a valid regular expression: %v", flag, e, err)
		}
		res = append(res, re)
	}
	return res, nil
}

// prefix decides --prefix when not given: on whenever lines of more than
// one process can appear.
func (o *Options) prefix(selected int) bool {
	if o.prefixSet {
		return o.Prefix
	}
	if selected > 1 || o.Select.Namespace == "" {
		return true
	}
	// Following a pattern may pick up other processes later.
	return o.Follow && selected != 1
}

// Run prints (and follows) the logs.
func (o *Options) Run(ctx context.Context) error {
	t, err := o.Select.Open(ctx, informers.Config{})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	tcfg := logtail.Config{
		Client: t.Client, Cache: t.Cache, Select: o.Select.Selector.Matches,
		Tail: o.Tail, Since: o.Since, SinceTime: o.sinceTime,
		Follow: o.Follow, Timestamps: o.Timestamps, Grep: o.Grep,
		Include: o.include, Exclude: o.exclude, Format: o.Output,
		Color:       cli.ColorEnabled(o.f.Streams.Out),
		MaxRequests: o.MaxRequests,
		Out:         o.f.Streams.Out, Err: o.f.Streams.ErrOut,
	}
	selected := len(tcfg.Selected())
	tcfg.Prefix = o.prefix(selected)

	absent, err := o.reportAbsent(ctx, t)
	if err != nil {
		return err
	}
	if selected == 0 && !o.Follow {
		if absent > 0 {
			return &cli.ExitError{Code: 1, Err: fmt.Errorf("no logs: %d named process(es) not found.%s", absent, t.Hint())}
		}
		fmt.Fprintln(o.f.Streams.ErrOut, t.NoneFound())
		return nil
	}

	if o.Follow {
		var stop context.CancelFunc
		ctx, stop = t.UntilSessionGone(ctx, o.f.Streams.ErrOut)
		defer stop()
	}
	err = logtail.Run(ctx, tcfg)
	switch {
	case ctx.Err() != nil:
		return nil // Ctrl-C: following ends normally
	case err != nil:
		return err
	case absent > 0:
		return &cli.ExitError{Code: 1, Err: fmt.Errorf("%d named process(es) not found (see above)", absent)}
	}
	return nil
}

// reportAbsent says on stderr which named processes have no pod, and
// returns how many.
func (o *Options) reportAbsent(ctx context.Context, t *selector.Target) (int, error) {
	absent, err := missing.Find(ctx, t.Cache, o.Select.Options)
	if err != nil {
		return 0, err
	}
	for _, n := range absent {
		msg := n.Message(o.f.Clock.Now())
		if o.Follow {
			msg += "; waiting for it to appear"
		}
		fmt.Fprintln(o.f.Streams.ErrOut, msg)
	}
	return len(absent), nil
}
