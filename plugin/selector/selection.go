package selector

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// Selection is the selection of a verb, from its flags to the selected
// pods: embed it in the verb's Options (see the package documentation).
type Selection struct {
	Options

	// Namespace is the session: "" with -A, else -n or the kubeconfig
	// context's namespace. Set by Complete.
	Namespace string
	// Explicit is whether -n or -A was given.
	Explicit bool
	// NamespaceFlag is whether -n was given (-A aside).
	NamespaceFlag bool
	// Selector is the compiled selection. Set by Complete.
	Selector *Selector

	f *cli.Factory
}

// AddFlags registers -A, the filters and --drunc-label (see AddFlags).
func (s *Selection) AddFlags(cmd *cobra.Command) { AddFlags(cmd, &s.Options) }

// AddScopeFlags registers only -A and --drunc-label, for verbs that act on
// whole sessions (terminate).
func (s *Selection) AddScopeFlags(cmd *cobra.Command, allUsage string) {
	cmd.Flags().BoolVarP(&s.AllNamespaces, "all-namespaces", "A", false, allUsage)
	cli.AddLabelDomainFlag(cmd.Flags(), &s.LabelDomain)
}

// Complete takes args as the name regexes, reads the scope from f and
// compiles the selection (errors name the flag and value).
func (s *Selection) Complete(f *cli.Factory, args []string) error {
	s.f = f
	s.Names = args
	ns, explicit, err := s.Scope(f)
	if err != nil {
		return err
	}
	s.Namespace, s.Explicit = ns, explicit
	s.NamespaceFlag = f.Flags.Namespace != nil && *f.Flags.Namespace != ""
	// kubectl lets -A win over -n; a kill meant for one session must not
	// reach every other, so every verb refuses both alike.
	if s.AllNamespaces && s.NamespaceFlag {
		return errNamespaceAndAll
	}
	sel, err := s.Compiled()
	if err != nil {
		return err
	}
	s.Selector = sel
	return nil
}

// errNamespaceAndAll refuses -n with -A.
var errNamespaceAndAll = errors.New("give -n SESSION or -A, not both")

// Require is the guard of verbs that destroy: a filter, or -n / -A.
func (s *Selection) Require(verb string) error {
	return s.Selector.RequireSelection(verb, s.Explicit)
}

// RequireSession is the guard of verbs that act on whole sessions: -n
// SESSION or -A, not both; the kubeconfig context's namespace is not enough.
func (s *Selection) RequireSession(verb string) error {
	switch {
	case s.AllNamespaces && s.NamespaceFlag:
		return errNamespaceAndAll
	case !s.AllNamespaces && !s.NamespaceFlag:
		return errors.New(verb + " needs the session: give -n SESSION (or -A for every session); `kubectl drunc ps -A` lists the sessions")
	}
	return nil
}

// Target is what Open found: the started cache and the selected pods.
type Target struct {
	// Client is the typed client (deletes, creates, logs).
	Client kubernetes.Interface
	// Cache is the shared informer over the session (all its drunc pods).
	Cache *informers.Cache
	// Pods are the selected pods when the cache synced.
	Pods []*corev1.Pod

	sel     *Selection
	hint    string
	decoder sessionrecord.Decoder // Record's, shared by its calls
}

// Open starts the shared informer for the session and selects the pods.
// cfg's Client and Namespace are filled in (the factory's watch client and
// the session), and its selector and label domain (Narrow); the verb sets
// what else it needs (Full, KeepManagedFields; WithRecord when it reads
// the session records, so that their LIST runs alongside the pods': see
// Recorded). When nothing is selected, Open checks the session: one that
// does not exist is an error naming it.
func (s *Selection) Open(ctx context.Context, cfg informers.Config) (*Target, error) {
	client, err := s.f.Clientset()
	if err != nil {
		return nil, err
	}
	if cfg.Client == nil {
		if cfg.Client, err = s.f.WatchClient(); err != nil {
			return nil, err
		}
	}
	cfg.Namespace = s.Namespace
	c, err := informers.Start(ctx, s.Selector.Narrow(cfg))
	if err != nil {
		return nil, err
	}
	t := &Target{Client: client, Cache: c, Pods: s.Selector.Select(c.Pods()), sel: s}
	if len(t.Pods) == 0 {
		if err := t.explainEmpty(ctx); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Views are the selected processes of the cache now, in the order they
// have in the whole session: a filter never reorders them.
func (t *Target) Views() []process.View {
	return process.Selected(t.Cache.Pods(), t.Cache.Keys(), t.sel.Selector.Matches)
}
