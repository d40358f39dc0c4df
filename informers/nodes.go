package informers

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/tools/cache"
)

// nodeCache is a third informer, of Node objects, started only by the
// verbs that judge hosts (status): nodes are cluster-scoped, so a grant
// limited to a namespace may not allow them, and the caller decides what
// to do without.
type nodeCache struct {
	once     sync.Once
	informer cache.SharedIndexInformer
	errs     lastError
}

// lastError keeps an informer's last list/watch error.
type lastError struct {
	sync.Mutex
	err error
}

func (l *lastError) set(err error) {
	l.Lock()
	l.err = err
	l.Unlock()
}

func (l *lastError) get() error {
	l.Lock()
	defer l.Unlock()
	return l.err
}

// StartNodes starts the node informer once, for the cache's lifetime.
func (c *Cache) StartNodes() {
	n := &c.nodes
	n.once.Do(func() {
		n.informer = coreinformers.NewNodeInformer(c.cfg.Client, 0, cache.Indexers{})
		_ = n.informer.SetTransform(func(obj any) (any, error) {
			if node, ok := obj.(*corev1.Node); ok {
				node.ManagedFields = nil
				node.Status.Images = nil // the largest part, never read
			}
			return obj, nil
		})
		_ = n.informer.SetWatchErrorHandlerWithContext(func(ctx context.Context, r *cache.Reflector, err error) {
			if ctx.Err() != nil {
				return // stopping: a cancelled watch is not worth a log line
			}
			n.errs.set(err)
			if n.informer.HasSynced() {
				cache.DefaultWatchErrorHandler(ctx, r, err)
			}
		})
		go n.informer.RunWithContext(c.ctx)
	})
}

// NodesSynced waits until the node informer (StartNodes) has listed. Like
// Start, it fails at once when the first list fails (e.g. Forbidden),
// rather than letting the reflector retry forever.
func (c *Cache) NodesSynced(ctx context.Context) error {
	n := &c.nodes
	if n.informer == nil {
		return fmt.Errorf("informers: StartNodes was not called")
	}
	return waitListed(ctx, n.informer, &n.errs, "nodes")
}

// Nodes returns every cached node (any order). Shared objects: read only.
func (c *Cache) Nodes() []*corev1.Node {
	n := &c.nodes
	if n.informer == nil {
		return nil
	}
	objs := n.informer.GetStore().List()
	out := make([]*corev1.Node, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(*corev1.Node))
	}
	return out
}

// waitListed waits for an informer's first list, or its first error.
func waitListed(ctx context.Context, inf cache.SharedIndexInformer, errs *lastError, what string) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if inf.HasSynced() {
			return nil
		}
		if err := errs.get(); err != nil {
			return fmt.Errorf("cannot list %s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not listed before %w", what, context.Cause(ctx))
		case <-tick.C:
		}
	}
}
