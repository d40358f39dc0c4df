// Package lifecycleverb is the plumbing kill, terminate, restart and flush
// share: the selection (as ps reads it, with the guard every destroying
// verb has), the shared informer, the lifecycle Config, and the table of
// what was done.
package lifecycleverb

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
)

// Selection is the selection flags of a destroying verb, checked.
type Selection struct {
	Options selector.Options

	Namespace string // "" with -A
	Explicit  bool   // -n or -A given
	Selector  *selector.Selector
}

// AddFlags adds ps's selection flags.
func (s *Selection) AddFlags(cmd *cobra.Command) { selector.AddFlags(cmd, &s.Options) }

// Complete reads the scope and compiles the selection; verb names the
// command in the "needs a selection" message.
func (s *Selection) Complete(f *cli.Factory, verb string, args []string) error {
	s.Options.Names = args
	ns, explicit, err := s.Options.Scope(f)
	if err != nil {
		return err
	}
	s.Namespace, s.Explicit = ns, explicit
	sel, err := s.Options.Compiled()
	if err != nil {
		return err
	}
	s.Selector = sel
	return sel.RequireSelection(verb, explicit)
}

// Target is the started cache and the selected pods.
type Target struct {
	Client kubernetes.Interface
	Cache  *informers.Cache
	Pods   []*corev1.Pod
}

// SignalContext ends on Ctrl-C or SIGTERM.
func SignalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx == nil {
		ctx = context.Background()
	}
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}

// Open starts the shared informer for the scope and selects the pods.
func (s *Selection) Open(ctx context.Context, f *cli.Factory) (*Target, error) {
	client, err := f.Clientset()
	if err != nil {
		return nil, err
	}
	watchClient, err := f.WatchClient()
	if err != nil {
		return nil, err
	}
	c, err := informers.Start(ctx, s.Selector.Narrow(informers.Config{Client: watchClient, Namespace: s.Namespace}))
	if err != nil {
		return nil, err
	}
	return &Target{Client: client, Cache: c, Pods: s.Selector.Select(c.Pods())}, nil
}

// NothingSelected explains an empty selection: an unknown session is said
// so; otherwise the selection matched no process.
func (s *Selection) NothingSelected(ctx context.Context, t *Target) error {
	if s.Namespace == "" {
		return fmt.Errorf("no process in any session matches the selection; `kubectl drunc ps -A` lists them all")
	}
	if err := SessionExists(ctx, t.Client, s.Namespace); err != nil {
		return err
	}
	return fmt.Errorf("no process in session %q matches the selection; `kubectl drunc ps -n %s` lists its processes", s.Namespace, s.Namespace)
}

// SessionExists fails with a clear message when the session's namespace
// does not exist.
func SessionExists(ctx context.Context, c kubernetes.Interface, name string) error {
	_, err := c.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return fmt.Errorf("session %q not found: there is no namespace %q (`kubectl drunc ps -A` lists every session)", name, name)
	}
	return err
}
