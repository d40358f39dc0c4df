// Package selector is the process selection every verb shares: the session
// scope (-n / -A), name regexes (searched in the process name, as drunc's
// ps does), --user, --uuid, --role, --host, -l and --drunc-label, all ANDed.
//
// # Writing a selecting verb
//
// A verb that acts on processes is one package under plugin/verbs with its
// own flags and one call into an engine; the selection is this package's
// Selection, embedded in the verb's Options:
//
//	type Options struct {
//		f      *cli.Factory
//		Select selector.Selection
//		// the verb's own flags
//	}
//
//	func NewCmd(f *cli.Factory) *cobra.Command {
//		o := &Options{f: f}
//		cmd := &cobra.Command{
//			Use: "status [NAME-REGEX ...]",
//			RunE: func(cmd *cobra.Command, args []string) error {
//				return cli.Run(o, f, cmd, args) // Complete, Validate, Run
//			},
//		}
//		o.Select.AddFlags(cmd) // -A, --user, --uuid, --role, --host, -l, --drunc-label
//		return cmd
//	}
//
//	func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, args []string) error {
//		return o.Select.Complete(f, args) // scope and compiled selection
//	}
//
//	func (o *Options) Validate() error { return nil } // the verb's flags; no API call
//
//	func (o *Options) Run(ctx context.Context) error {
//		t, err := o.Select.Open(ctx, informers.Config{}) // shared informer, selected pods
//		if err != nil {
//			return err // includes: session "x" not found (exit 1)
//		}
//		if len(t.Pods) == 0 {
//			fmt.Fprintln(o.f.Streams.ErrOut, t.NoneFound()) // or return it, per the verb's documented exit code
//			return nil
//		}
//		return engine.Do(ctx, engine.Config{Client: t.Client, Cache: t.Cache}, t.Views())
//	}
//
// ctx is the command's context: plugin.ExecuteWithFactory makes it once and
// ends it on Ctrl-C or SIGTERM, so verbs never install signal handlers.
// Verbs that destroy call Selection.Require after Complete; verbs that take
// only a session (terminate) register Selection.AddScopeFlags instead of
// AddFlags and call RequireSession. Errors are returned as they are:
// plugin/root.go explains API errors (RBAC) once for every verb.
//
// Verbs that also act on processes without a pod (killed, lost: ps,
// status, flush, restart) read them from the session records with
// Target.Recorded, the one place that reads records for a selection.
// Setting informers.Config.WithRecord makes the records' LIST run
// alongside the pods' (else Recorded lists them when first called). With
// -A, a session whose every process was killed is found by its record
// (Target.Sessions).
//
// Open fails, naming it, when the session (namespace) does not exist, so
// every verb reports a mistyped -n the same way (exit 1); NoneFound is the
// one "No processes found" message, with a hint to use -n NAME when a
// positional argument is the name of a session.
package selector
