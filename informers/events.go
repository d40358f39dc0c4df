package informers

import (
	"context"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

// byInvolvedUID indexes events by the UID of the pod they are about.
const byInvolvedUID = "involvedObject.uid"

// eventCache is a second informer, for pod events, started only by the
// verbs that explain a process (wait, boot's summary, describe): events
// carry no drunc label, so they cannot share the pod informer's selector.
type eventCache struct {
	client    kubernetes.Interface
	namespace string
	selector  string
	once      sync.Once
	informer  cache.SharedIndexInformer
	errs      lastError // for WaitEvents
}

func (e *eventCache) init(client kubernetes.Interface, namespace string, warningsOnly bool) {
	e.client, e.namespace = client, namespace
	e.selector = "involvedObject.kind=Pod"
	if warningsOnly {
		e.selector += ",type=" + corev1.EventTypeWarning
	}
}

// StartEvents starts the pod-events informer once; it does not wait for it
// (see EventsSynced). It lives as long as the cache (Start's ctx).
func (c *Cache) StartEvents() {
	e := &c.events
	e.once.Do(func() {
		e.informer = coreinformers.NewFilteredEventInformer(e.client, e.namespace, 0,
			cache.Indexers{byInvolvedUID: func(obj any) ([]string, error) {
				if ev, ok := obj.(*corev1.Event); ok {
					return []string{string(ev.InvolvedObject.UID)}, nil
				}
				return nil, nil
			}},
			func(o *metav1.ListOptions) { o.FieldSelector = e.selector })
		_ = e.informer.SetTransform(func(obj any) (any, error) {
			if ev, ok := obj.(*corev1.Event); ok {
				ev.ManagedFields = nil
			}
			return obj, nil
		})
		_ = e.informer.SetWatchErrorHandlerWithContext(func(ctx context.Context, r *cache.Reflector, err error) {
			if ctx.Err() != nil {
				return // stopping: a cancelled watch is not worth a log line
			}
			e.errs.set(err)
			if e.informer.HasSynced() {
				cache.DefaultWatchErrorHandler(ctx, r, err)
			}
		})
		go e.informer.RunWithContext(c.ctx)
	})
}

// EventsSynced waits until the events informer (started by StartEvents)
// has listed, or ctx ends; it reports whether it did.
func (c *Cache) EventsSynced(ctx context.Context) bool {
	if c.events.informer == nil {
		return false
	}
	return cache.WaitForCacheSync(ctx.Done(), c.events.informer.HasSynced)
}

// LastEvent returns the most recent event about the pod, or nil (also when
// StartEvents was never called).
func (c *Cache) LastEvent(uid types.UID) *corev1.Event {
	if c.events.informer == nil {
		return nil
	}
	objs, err := c.events.informer.GetIndexer().ByIndex(byInvolvedUID, string(uid))
	if err != nil {
		return nil
	}
	var last *corev1.Event
	for _, o := range objs {
		ev := o.(*corev1.Event)
		if last == nil || later(ev, last) {
			last = ev
		}
	}
	return last
}

// later tells whether a happened after b. Of a Warning and a Normal event
// in the same second, the Warning: core events have seconds only (kwok's
// Exited at 10:00:00 came after the scheduler's Scheduled at
// 10:00:00.201), and a Warning says more about what went wrong.
func later(a, b *corev1.Event) bool {
	ta, tb := EventTime(a), EventTime(b)
	aWarns, bWarns := a.Type == corev1.EventTypeWarning, b.Type == corev1.EventTypeWarning
	if aWarns != bWarns && ta.Truncate(time.Second).Equal(tb.Truncate(time.Second)) {
		return aWarns
	}
	return ta.After(tb)
}

// EventTime is when the event last happened, whichever field the emitter
// filled (core events, events.k8s.io series).
func EventTime(ev *corev1.Event) time.Time {
	switch {
	case ev.Series != nil && !ev.Series.LastObservedTime.IsZero():
		return ev.Series.LastObservedTime.Time
	case !ev.LastTimestamp.IsZero():
		return ev.LastTimestamp.Time
	case !ev.EventTime.IsZero():
		return ev.EventTime.Time
	}
	return ev.CreationTimestamp.Time
}
