package selector

import (
	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

// AddFlags registers the selection flags on a verb, identically for all
// verbs. Name regexes are the verb's positional arguments (set Names from
// args in Complete). --user shadows kubectl's global --user (kubeconfig
// user) on these verbs: drunc's ps has always used it for the process
// owner; use --context for another identity.
func AddFlags(cmd *cobra.Command, o *Options) {
	f := cmd.Flags()
	f.BoolVarP(&o.AllNamespaces, "all-namespaces", "A", false, "Select processes of every session (namespace), not only -n's")
	f.StringSliceVar(&o.Users, "user", nil, "Only processes of this user (repeatable)")
	f.StringSliceVar(&o.UUIDs, "uuid", nil, "Only the process with this uuid (repeatable)")
	f.StringSliceVar(&o.Roles, "role", nil, "Only processes of this role: root-controller, segment-controller, application, infrastructure-applications, unknown (repeatable)")
	f.StringSliceVar(&o.Hosts, "host", nil, "Only processes on this host (node name, the HOST column; repeatable)")
	f.StringVarP(&o.Selector, "selector", "l", "", "Only processes whose pods match this label selector (e.g. -l app=ru-01)")
	cli.AddLabelDomainFlag(f, &o.LabelDomain)
	// --host is completed with node names by the root (it needs a client).
	_ = cmd.RegisterFlagCompletionFunc("role", cli.CompleteFixed(roleWords()...))
	// Free values: the shell must not offer file names for them.
	for _, name := range []string{"user", "uuid", "selector"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cli.CompleteFixed())
	}
}

// Scope returns the namespace to watch: "" with -A, else -n or the
// kubeconfig context's namespace (like kubectl), with whether -n was given.
func (o *Options) Scope(f *cli.Factory) (namespace string, explicit bool, err error) {
	if o.AllNamespaces {
		return "", true, nil
	}
	return f.Namespace()
}

// Complete takes the verb's arguments as the name regexes and returns the
// namespace to watch (see Scope): what every selecting verb's Complete does.
func (o *Options) Complete(f *cli.Factory, args []string) (namespace string, err error) {
	o.Names = args
	namespace, _, err = o.Scope(f)
	return namespace, err
}
