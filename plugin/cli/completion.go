package cli

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// CompletionFunc is what cobra calls to complete an argument or flag value.
type CompletionFunc = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective)

// completionTimeout bounds every API call made for a <TAB>: an unreachable
// cluster must cost the shell a short pause, not a hang.
const completionTimeout = 5 * time.Second

// CompleteProcessNames completes the names of the processes with a pod in
// the selected session (-n, else the kubeconfig's namespace; every session
// with -A when the command has that flag), leaving out names already on the
// command line.
func CompleteProcessNames(f *Factory) CompletionFunc {
	return completeListed(f, true, func(ctx context.Context, cs kubernetes.Interface, cmd *cobra.Command) ([]string, error) {
		return listProcessNames(ctx, f, cs, cmd, false)
	})
}

// CompleteKnownProcessNames also offers the processes without a pod that
// the session record keeps (killed, flushed, lost): for the verbs that act
// on them or show them (restart brings them back).
func CompleteKnownProcessNames(f *Factory) CompletionFunc {
	return completeListed(f, true, func(ctx context.Context, cs kubernetes.Interface, cmd *cobra.Command) ([]string, error) {
		return listProcessNames(ctx, f, cs, cmd, true)
	})
}

// listProcessNames lists the process names of the command's sessions: of
// their pods, and with records of their session records too (a record that
// cannot be read only leaves its names out).
func listProcessNames(ctx context.Context, f *Factory, cs kubernetes.Interface, cmd *cobra.Command, records bool) ([]string, error) {
	ns, _, err := f.Namespace()
	if err != nil {
		return nil, err
	}
	if all := cmd.Flags().Lookup("all-namespaces"); all != nil && all.Value.String() == "true" {
		ns = ""
	}
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: labelKeys(cmd).CreatorSelector()})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, p := range pods.Items {
		name := p.Labels[session.AppLabel]
		if name == "" {
			name = p.Name
		}
		names = append(names, name)
	}
	if records {
		names = append(names, recordedNames(ctx, cs, ns)...)
	}
	return names, nil
}

// recordedNames are the process names the session records of ns (every
// session when "") keep, from one list of their ConfigMaps.
func recordedNames(ctx context.Context, cs kubernetes.Interface, ns string) []string {
	list, err := cs.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{LabelSelector: sessionrecord.ListSelector})
	if err != nil {
		return nil
	}
	bySession := map[string][]*corev1.ConfigMap{}
	for i := range list.Items {
		cm := &list.Items[i]
		bySession[cm.Namespace] = append(bySession[cm.Namespace], cm)
	}
	var d sessionrecord.Decoder
	var names []string
	for name, objs := range bySession {
		rec, err := d.Record(name, objs)
		if err != nil {
			continue
		}
		for process := range rec.Entries {
			names = append(names, process)
		}
	}
	return names
}

// CompleteSessions completes session names: namespaces that carry the drunc
// creator label.
func CompleteSessions(f *Factory) CompletionFunc {
	return completeListed(f, false, func(ctx context.Context, cs kubernetes.Interface, cmd *cobra.Command) ([]string, error) {
		list, err := cs.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: labelKeys(cmd).CreatorSelector()})
		if err != nil {
			return nil, err
		}
		var names []string
		for _, n := range list.Items {
			names = append(names, n.Name)
		}
		return names, nil
	})
}

// CompleteContexts completes the context names of the kubeconfig (files
// merged as kubectl merges them); it needs no cluster.
func CompleteContexts(f *Factory) CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		raw, err := f.Flags.ToRawKubeConfigLoader().RawConfig()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var names []string
		for name := range raw.Contexts {
			names = append(names, name)
		}
		return matching(names, nil, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteFixed completes one of a fixed set of words (e.g. --for values).
func CompleteFixed(words ...string) CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return matching(words, nil, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// RegisterGlobalCompletions completes the root's kubectl flags: -n with
// sessions, --context and --cluster/--user from the kubeconfig.
func RegisterGlobalCompletions(root *cobra.Command, f *Factory) {
	// Errors only mean the flag is not there (e.g. a trimmed ConfigFlags).
	_ = root.RegisterFlagCompletionFunc("namespace", CompleteSessions(f))
	_ = root.RegisterFlagCompletionFunc("context", CompleteContexts(f))
	registerEverywhere(root, map[string]CompletionFunc{
		"host":       CompleteNodes(f),
		"localhost":  CompleteNodes(f),
		"session-id": CompleteOKSSessionIDs(f),
	})
}

// registerEverywhere completes these flags on every command that has them,
// so a verb gets the completion with the flag (--host from the shared
// selection, --localhost and --session-id from the OKS flags). A command
// that registered its own keeps it.
func registerEverywhere(cmd *cobra.Command, funcs map[string]CompletionFunc) {
	for name, fn := range funcs {
		if cmd.LocalNonPersistentFlags().Lookup(name) == nil {
			continue
		}
		if _, ok := cmd.GetFlagCompletionFunc(name); !ok {
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
	}
	for _, sub := range cmd.Commands() {
		registerEverywhere(sub, funcs)
	}
}

// CompleteNodes completes node names (the hosts processes run on).
func CompleteNodes(f *Factory) CompletionFunc {
	return completeListed(f, false, func(ctx context.Context, cs kubernetes.Interface, _ *cobra.Command) ([]string, error) {
		list, err := cs.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, err
		}
		var names []string
		for _, n := range list.Items {
			names = append(names, n.Name)
		}
		return names, nil
	})
}

// completeListed completes with the names list reads from the cluster,
// within completionTimeout, leaving out the command line's arguments with
// omitArgs; a cluster that cannot be read completes nothing (and no file
// names).
func completeListed(f *Factory, omitArgs bool, list func(context.Context, kubernetes.Interface, *cobra.Command) ([]string, error)) CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		cs, err := f.Clientset()
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), completionTimeout)
		defer cancel()
		names, err := list(ctx, cs, cmd)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		if !omitArgs {
			args = nil
		}
		return matching(names, args, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteOKSSessionIDs completes --session-id with the Sessions of the
// file the command line gives with --oks (and --db-path).
func CompleteOKSSessionIDs(f *Factory) CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var o okssession.Options
		if fl := cmd.Flags().Lookup("oks"); fl != nil {
			o.File = fl.Value.String()
		}
		if fl := cmd.Flags().Lookup("db-path"); fl != nil {
			o.DBPath = fl.Value.String()
		}
		ids, directive := CompleteSessionIDs(&o)(cmd, args, toComplete)
		return matching(ids, nil, toComplete), directive
	}
}

// matching returns the distinct words with the prefix, sorted, minus those
// already given.
func matching(words, given []string, prefix string) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) && !slices.Contains(given, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}
