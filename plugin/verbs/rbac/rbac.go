// Package rbac implements `kubectl drunc rbac`: the least permissions the
// plugin needs, as a role and binding an admin applies.
package rbac

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/rbac"
)

// Options of the rbac verb.
type Options struct {
	f               *cli.Factory
	Grant           rbac.Grant
	NamespaceScoped bool
	Output          string
}

// NewCmd returns `kubectl drunc rbac`; it prints only and needs no cluster.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "rbac [--user NAME | --group NAME | --serviceaccount NAMESPACE:NAME] [--namespace-scoped]",
		Short: "Print the least RBAC role kubectl drunc needs, and a binding",
		Long: `Print the ClusterRole "kubectl-drunc" with the least permissions the plugin
needs (namespaces, pods, pods/log, services, configmaps for the session
record, nodes, events), and, for each
--user, --group or --serviceaccount given, a binding to it. Pipe the output
to kubectl apply as a cluster admin.

With --namespace-scoped the role is bound in the session namespace given by -n
only (a RoleBinding), plus read access to nodes, which boot needs to check the
hosts it pins processes to. The namespace must then exist already: creating
and deleting sessions needs the cluster-wide binding.

The same ClusterRole is in deploy/rbac.yaml.`,
		Example: `  # Let alice run every kubectl drunc command on every session
  kubectl drunc rbac --user alice | kubectl apply -f -

  # A CI job running in-cluster as service account ci/drunc-runner
  kubectl drunc rbac --serviceaccount ci:drunc-runner | kubectl apply -f -

  # Only within the existing session namespace "run42"
  kubectl drunc rbac --user bob --namespace-scoped -n run42 | kubectl apply -f -`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	cmd.Flags().StringArrayVar(&o.Grant.Users, "user", nil, "Bind the role to this user (repeatable)")
	cmd.Flags().StringArrayVar(&o.Grant.Groups, "group", nil, "Bind the role to this group (repeatable)")
	cmd.Flags().StringArrayVar(&o.Grant.ServiceAccounts, "serviceaccount", nil, "Bind the role to this service account, as NAMESPACE:NAME (repeatable)")
	cmd.Flags().BoolVar(&o.NamespaceScoped, "namespace-scoped", false, "Bind the role in the session namespace given by -n only")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "yaml", "Output format: yaml or json")
	_ = cmd.RegisterFlagCompletionFunc("output", cli.CompleteFixed("yaml", "json"))
	for _, name := range []string{"user", "group", "serviceaccount"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cli.CompleteFixed()) // free values, no file names
	}
	return cmd
}

// Complete reads the namespace for --namespace-scoped.
func (o *Options) Complete(*cli.Factory, *cobra.Command, []string) error {
	if !o.NamespaceScoped {
		return nil
	}
	ns, explicit, err := o.f.Namespace()
	if err != nil {
		return err
	}
	if !explicit {
		return fmt.Errorf("--namespace-scoped needs the session namespace: add -n SESSION")
	}
	o.Grant.Namespace = ns
	return nil
}

// Validate checks the flags.
func (o *Options) Validate() error {
	if o.Output != "yaml" && o.Output != "json" {
		return fmt.Errorf("--output %q is not supported; use yaml or json", o.Output)
	}
	if _, err := o.Grant.Subjects(); err != nil {
		return err
	}
	if o.NamespaceScoped && len(o.Grant.Users)+len(o.Grant.Groups)+len(o.Grant.ServiceAccounts) == 0 {
		return fmt.Errorf("--namespace-scoped binds a subject: add --user, --group or --serviceaccount")
	}
	return nil
}

// Run prints the objects.
func (o *Options) Run(context.Context) error {
	objs, err := rbac.Objects(o.Grant)
	if err != nil {
		return err
	}
	out := o.f.Streams.Out
	if o.Output == "json" {
		// A v1 List, as `kubectl get -o json` prints several objects.
		b, err := json.MarshalIndent(map[string]any{"apiVersion": "v1", "kind": "List", "items": objs}, "", "    ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(out, string(b))
		return err
	}
	b, err := rbac.YAML(objs)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}
