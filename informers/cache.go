// Package informers holds the one shared informer cache of drunc pods that
// boot, ps -w, wait and kill all read from: one LIST, then one WATCH kept
// alive by client-go's reflector (it relists after 410 Gone, watch timeouts
// and apiserver restarts), so no verb ever polls the API.
package informers

import (
	"context"
	"errors"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Config says which pods the cache holds.
type Config struct {
	// Client talks to the cluster (see NewClient for a protobuf one).
	Client kubernetes.Interface
	// Namespace is the session; "" watches every session (-A).
	Namespace string
	// LabelDomain is drunc's settings.labels.drunc_label ("" = drunc.daq).
	LabelDomain string
	// Selector is an extra label selector (-l), ANDed with the creator key
	// on the server so unrelated pods never reach the client.
	Selector string
	// Full keeps every field but managedFields: for -o json|yaml|jsonpath
	// and templates, which may print any field. Otherwise the cache trims
	// pods to what the process view reads (see Trim).
	Full bool
	// KeepManagedFields keeps even managedFields (with Full, for
	// --show-managed-fields).
	KeepManagedFields bool
	// WithEvents, WithNodes and WithRecord start the pod-events, node and
	// session-record informers (StartEvents, StartNodes, StartRecord)
	// together with the pods', so their lists run in parallel rather than
	// after the pods' sync.
	WithEvents, WithNodes, WithRecord bool
	// WarningEventsOnly lists only Warning events (for status, which reads
	// only LastWarning): a healthy session of 10,000 processes has 10,000
	// Normal "Scheduled" events it would otherwise list for nothing.
	// LastEvent then sees only Warnings too.
	WarningEventsOnly bool
}

// Cache is a synced, self-healing view of the drunc pods of one session or
// of all sessions. Its pods are shared: never modify them (DeepCopy first).
type Cache struct {
	ctx      context.Context // the cache's lifetime, for lazily started informers
	cfg      Config
	keys     session.LabelKeys
	informer cache.SharedIndexInformer
	lister   corelisters.PodLister
	started  *watchStart

	watchErr struct {
		sync.Mutex
		last error
	}

	events eventCache
	nodes  nodeCache
	record recordCache
}

// Start builds the informer, starts it and waits until its first LIST is in
// the cache. It fails, naming the scope, when that list fails (unreachable
// server, RBAC; an unknown namespace just lists nothing) or ctx ends first.
// Afterwards the reflector relists and rewatches by itself. The informer
// stops when ctx is done.
func Start(ctx context.Context, cfg Config) (*Cache, error) {
	if cfg.Client == nil {
		return nil, errors.New("informers: Config.Client is nil")
	}
	keys := session.Keys(cfg.LabelDomain)
	selector := keys.CreatorSelector()
	if cfg.Selector != "" {
		if _, err := labels.Parse(cfg.Selector); err != nil {
			return nil, fmt.Errorf("invalid label selector %q: %w", cfg.Selector, err)
		}
		selector += "," + cfg.Selector
	}
	transform := Trim
	switch {
	case cfg.Full && cfg.KeepManagedFields:
		transform = func(obj any) (any, error) { return obj, nil }
	case cfg.Full:
		transform = DropManagedFields
	}
	c := &Cache{ctx: ctx, cfg: cfg, keys: keys, started: newWatchStart()}
	c.informer = newPodInformer(cfg.Client, cfg.Namespace, tweakListOptions(selector), transform, c.started)
	c.lister = corelisters.NewPodLister(c.informer.GetIndexer())
	if err := c.informer.SetWatchErrorHandlerWithContext(c.onWatchError); err != nil {
		return nil, err
	}
	c.events.init(cfg.Client, cfg.Namespace, cfg.WarningEventsOnly)
	go c.informer.RunWithContext(ctx)
	if cfg.WithEvents {
		c.StartEvents()
	}
	if cfg.WithNodes {
		c.StartNodes()
	}
	if cfg.WithRecord {
		c.StartRecord()
	}
	if err := c.waitSynced(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// onWatchError records the reflector's last error, so Start can return it.
// Before the first sync Start reports it (explained by apierror.Explain), so it
// is not logged as well; afterwards client-go's default logging applies.
func (c *Cache) onWatchError(ctx context.Context, r *cache.Reflector, err error) {
	if ctx.Err() != nil {
		return // stopping: a cancelled watch is not worth a log line
	}
	c.watchErr.Lock()
	c.watchErr.last = err
	c.watchErr.Unlock()
	c.started.failed()
	if c.informer.HasSynced() {
		cache.DefaultWatchErrorHandler(ctx, r, err)
	}
}

func (c *Cache) lastWatchError() error {
	c.watchErr.Lock()
	defer c.watchErr.Unlock()
	return c.watchErr.last
}

func (c *Cache) scope() string {
	if c.cfg.Namespace == "" {
		return "in all namespaces"
	}
	return fmt.Sprintf("in namespace %q", c.cfg.Namespace)
}

// Keys are the drunc label keys the cache selects on.
func (c *Cache) Keys() session.LabelKeys { return c.keys }

// Namespace is the session the cache watches ("" = all).
func (c *Cache) Namespace() string { return c.cfg.Namespace }

// Lister reads the cache.
func (c *Cache) Lister() corelisters.PodLister { return c.lister }

// Informer is the underlying shared informer (for HasSynced and handlers).
func (c *Cache) Informer() cache.SharedIndexInformer { return c.informer }

// Pods returns every cached pod (any order). Shared objects: read only.
func (c *Cache) Pods() []*corev1.Pod {
	pods, _ := c.lister.List(labels.Everything())
	return pods
}

// Get returns the cached pod, or nil.
func (c *Cache) Get(namespace, name string) *corev1.Pod {
	p, err := c.lister.Pods(namespace).Get(name)
	if err != nil {
		return nil
	}
	return p
}

// AddEventHandler registers h; it first receives an Add for every cached pod.
func (c *Cache) AddEventHandler(h cache.ResourceEventHandler) (cache.ResourceEventHandlerRegistration, error) {
	return c.informer.AddEventHandler(h)
}

// RemoveEventHandler unregisters what AddEventHandler returned.
func (c *Cache) RemoveEventHandler(r cache.ResourceEventHandlerRegistration) error {
	return c.informer.RemoveEventHandler(r)
}

// Changed returns a channel that receives (coalesced) after every add,
// update or delete, and a function to stop it. Waits re-evaluate on it.
func (c *Cache) Changed() (<-chan struct{}, func(), error) {
	ch := make(chan struct{}, 1)
	poke := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	reg, err := c.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { poke() },
		UpdateFunc: func(any, any) { poke() },
		DeleteFunc: func(any) { poke() },
	})
	if err != nil {
		return nil, nil, err
	}
	return ch, func() { _ = c.informer.RemoveEventHandler(reg) }, nil
}

// tweakListOptions sets the drunc selector and makes the reflector's first
// LIST a consistent read, in one response. client-go lists with
// resourceVersion "0" ("any version the watch cache has"), which under
// load can miss a pod created a moment before: kill, logs or restart run
// right after boot would then not see it. With "" the apiserver serves the
// list as of now (from its watch cache, once it has caught up with etcd),
// so the cluster really is the only truth. But "" makes the server honour
// the reflector's pages of 500, one round trip after another; without a
// limit it streams the whole list while listPods decodes it, which at
// 10,000 pods takes 40 % off the time of ps and status (BENCHMARKS.md).
// Watches resume from a known version and are left alone.
func tweakListOptions(selector string) func(*metav1.ListOptions) {
	return func(o *metav1.ListOptions) {
		o.LabelSelector = selector
		if o.Watch {
			return
		}
		if o.ResourceVersion == "0" {
			o.ResourceVersion = ""
		}
		o.Limit = 0
	}
}
