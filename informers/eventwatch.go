package informers

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
)

// WaitEvents waits until the events informer (StartEvents) has listed; it
// fails at once when the first list fails (e.g. Forbidden), where
// EventsSynced would wait for ctx.
func (c *Cache) WaitEvents(ctx context.Context) error {
	e := &c.events
	if e.informer == nil {
		return fmt.Errorf("informers: StartEvents was not called")
	}
	return waitListed(ctx, e.informer, &e.errs, "pod events")
}

// AddEventsHandler registers h on the events informer (StartEvents first);
// it first receives an Add for every cached event.
func (c *Cache) AddEventsHandler(h cache.ResourceEventHandler) (cache.ResourceEventHandlerRegistration, error) {
	if c.events.informer == nil {
		return nil, fmt.Errorf("informers: StartEvents was not called")
	}
	return c.events.informer.AddEventHandler(h)
}

// RemoveEventsHandler unregisters what AddEventsHandler returned.
func (c *Cache) RemoveEventsHandler(r cache.ResourceEventHandlerRegistration) error {
	return c.events.informer.RemoveEventHandler(r)
}

// LastWarning returns the most recent Warning event about the pod, or nil.
func (c *Cache) LastWarning(uid types.UID) *corev1.Event {
	var last *corev1.Event
	for _, ev := range c.PodEvents(uid) {
		if ev.Type == corev1.EventTypeWarning {
			last = ev // oldest first: the last one wins
		}
	}
	return last
}
