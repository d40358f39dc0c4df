package informers

import (
	"context"
	"fmt"
	"sort"
	"sync"

	corev1 "k8s.io/api/core/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// recordCache is an informer of the session records' ConfigMaps (index and
// shards, by sessionrecord.ListSelector), in the pods' scope: the verbs
// that show processes without a pod (ps, status, flush, restart) read
// every record with one LIST, and ps -w follows them. Started with the
// pods (Config.WithRecord) its LIST runs alongside theirs.
type recordCache struct {
	once     sync.Once
	informer cache.SharedIndexInformer
	errs     lastError
	// stop ends the informer when its first list fails: the caller falls
	// back (GETs, or pods only) instead of the reflector retrying a
	// Forbidden list for as long as the cache lives.
	stop context.CancelFunc
}

// StartRecord starts the record informer once, for the cache's lifetime;
// it does not wait for it (see RecordSynced).
func (c *Cache) StartRecord() {
	r := &c.record
	r.once.Do(func() {
		ctx, stop := context.WithCancel(c.ctx)
		r.stop = stop
		r.informer = coreinformers.NewFilteredConfigMapInformer(c.cfg.Client, c.cfg.Namespace, 0,
			cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc},
			// A consistent first list, as the pods': a record kill wrote a
			// moment before is seen.
			tweakListOptions(sessionrecord.ListSelector))
		_ = r.informer.SetTransform(func(obj any) (any, error) {
			if cm, ok := obj.(*corev1.ConfigMap); ok {
				cm.ManagedFields = nil
			}
			return obj, nil
		})
		_ = r.informer.SetWatchErrorHandlerWithContext(func(ctx context.Context, rf *cache.Reflector, err error) {
			if ctx.Err() != nil {
				return // stopping: a cancelled watch is not worth a log line
			}
			r.errs.set(err)
			if r.informer.HasSynced() {
				cache.DefaultWatchErrorHandler(ctx, rf, err)
				return
			}
			stop()
		})
		go r.informer.RunWithContext(ctx)
	})
}

// RecordSynced waits until the record informer (StartRecord, started here
// if it was not) has listed. Like Start, it fails at once when the first
// list fails (e.g. Forbidden: no list of configmaps), naming the scope.
func (c *Cache) RecordSynced(ctx context.Context) error {
	c.StartRecord()
	r := &c.record
	if err := waitListed(ctx, r.informer, &r.errs, "session records"); err != nil {
		return fmt.Errorf("%w (configmaps %s -l %s)", err, c.scope(), sessionrecord.ListSelector)
	}
	return nil
}

// RecordObjects are the cached record ConfigMaps of one session (any
// order). Shared objects: read only.
func (c *Cache) RecordObjects(namespace string) []*corev1.ConfigMap {
	if c.record.informer == nil {
		return nil
	}
	objs, err := c.record.informer.GetIndexer().ByIndex(cache.NamespaceIndex, namespace)
	if err != nil {
		return nil
	}
	out := make([]*corev1.ConfigMap, 0, len(objs))
	for _, o := range objs {
		if cm, ok := o.(*corev1.ConfigMap); ok && cm.Labels[sessionrecord.RecordLabel] != "" {
			out = append(out, cm)
		}
	}
	return out
}

// RecordSessions are the sessions whose record index is cached, sorted:
// with -A, a session whose every process was killed has no pod left and
// is found by its record alone.
func (c *Cache) RecordSessions() []string {
	if c.record.informer == nil {
		return nil
	}
	var out []string
	for _, o := range c.record.informer.GetStore().List() {
		if cm, ok := o.(*corev1.ConfigMap); ok && sessionrecord.IsIndex(cm) {
			out = append(out, cm.Namespace)
		}
	}
	sort.Strings(out)
	return out
}

// AddRecordHandler registers h on the record informer (StartRecord); it
// first receives an Add for every cached record object.
func (c *Cache) AddRecordHandler(h cache.ResourceEventHandler) (cache.ResourceEventHandlerRegistration, error) {
	c.StartRecord()
	return c.record.informer.AddEventHandler(h)
}

// RemoveRecordHandler unregisters what AddRecordHandler returned.
func (c *Cache) RemoveRecordHandler(reg cache.ResourceEventHandlerRegistration) error {
	return c.record.informer.RemoveEventHandler(reg)
}
