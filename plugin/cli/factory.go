// Package cli holds what every verb shares: kubectl's connection flags, the
// lazily built clients and the IO streams.
package cli

import (
	"fmt"
	"strconv"
	"sync"
	"time"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"

	"github.com/kubectl-drunc/kubectl-drunc/informers"

	// Exec credential and OIDC plugins, as kubectl has them.
	_ "k8s.io/client-go/plugin/pkg/client/auth"
)

// Factory builds clients on first use only, so `version`, `completion` and
// `--dry-run=client` never need a reachable cluster or even a kubeconfig.
type Factory struct {
	Flags   *genericclioptions.ConfigFlags
	Streams genericiooptions.IOStreams
	// Clock is what verbs read the time from (ages, "gone for" messages);
	// tests inject a fake one.
	Clock clock.Clock

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
	return &Factory{Flags: flags, Streams: streams, Clock: clock.RealClock{}}
}

// NewFactoryWithClients returns a Factory that uses the given clients
// instead of building them from the kubeconfig: typed is Clientset, watch is
// WatchClient (the same fake clientset may be both). A nil clk means the
// real clock. The kubeconfig is still read for the namespace (-n, else the
// context's, else "default").
func NewFactoryWithClients(streams genericiooptions.IOStreams, typed, watch kubernetes.Interface, clk clock.Clock) *Factory {
	f := NewFactory(streams)
	if clk != nil {
		f.Clock = clk
	}
	f.clientset, f.watch = typed, watch
	f.once.Do(func() {}) // the clients are given: never build them
	return f
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
		if f.err = checkRequestTimeout(f.Flags.Timeout); f.err != nil {
			return
		}
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

// checkRequestTimeout refuses a --request-timeout client-go would refuse
// (neither seconds nor a duration) or take silently (a negative one), with
// an error about the flag, not the kubeconfig.
func checkRequestTimeout(flag *string) error {
	if flag == nil || *flag == "" {
		return nil
	}
	d, err := time.ParseDuration(*flag)
	if n, nerr := strconv.ParseInt(*flag, 10, 64); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d < 0 {
		return fmt.Errorf("--request-timeout %q is not a duration such as 30s or 2m (0: no timeout)", *flag)
	}
	return nil
}
