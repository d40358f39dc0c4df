// Package cli holds what every verb shares: kubectl's connection flags, the
// lazily built clients and the IO streams.
package cli

import (
	"fmt"
	"sync"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/kubectl-drunc/kubectl-drunc/informers"

	// Exec credential and OIDC plugins, as kubectl has them.
	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

// Factory builds clients on first use only, so `version`, `completion` and
// `--dry-run=client` never need a reachable cluster or even a kubeconfig.
type Factory struct {
	Flags   *genericclioptions.ConfigFlags
	Streams genericiooptions.IOStreams

	once      sync.Once
	clientset kubernetes.Interface
	watch     kubernetes.Interface
	err       error
}

// NewFactory returns a Factory whose flags still have to be bound to a command.
func NewFactory(streams genericiooptions.IOStreams) *Factory {
	flags := genericclioptions.NewConfigFlags(true)
	// Boot creates hundreds of objects at once: the client-side limiter must
	// not be what limits us (the apiserver's priority and fairness still is).
	flags.WrapConfigFn = func(c *rest.Config) *rest.Config {
		c.UserAgent = UserAgent()
		if c.QPS == 0 {
			c.QPS = 500
		}
		if c.Burst == 0 {
			c.Burst = 1000
		}
		return c
	}
	return &Factory{Flags: flags, Streams: streams}
}

// Clientset returns the typed client.
func (f *Factory) Clientset() (kubernetes.Interface, error) {
	f.build()
	return f.clientset, f.err
}

// WatchClient returns the client for the shared informer and for bulk
// creates: the same configuration, speaking protobuf (informers.NewClient),
// which decodes thousands of pods several times faster than JSON.
func (f *Factory) WatchClient() (kubernetes.Interface, error) {
	f.build()
	return f.watch, f.err
}

func (f *Factory) build() {
	f.once.Do(func() {
		cfg, err := f.Flags.ToRESTConfig()
		if err != nil {
			f.err = fmt.Errorf("cannot load the cluster configuration: %w (set --kubeconfig, --context or KUBECONFIG)", err)
			return
		}
		if f.clientset, f.err = kubernetes.NewForConfig(cfg); f.err != nil {
			return
		}
		f.watch, f.err = informers.NewClient(cfg)
	})
}

// Namespace returns the session named by -n, else the kubeconfig context's
// namespace, and whether it was given explicitly.
func (f *Factory) Namespace() (string, bool, error) {
	return f.Flags.ToRawKubeConfigLoader().Namespace()
}
