package informers

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// PodEvents returns the events about the pod with this UID, oldest first
// (call StartEvents and EventsSynced first; nil otherwise).
func (c *Cache) PodEvents(uid types.UID) []*corev1.Event {
	if c.events.informer == nil {
		return nil
	}
	objs, err := c.events.informer.GetIndexer().ByIndex(byInvolvedUID, string(uid))
	if err != nil {
		return nil
	}
	return sortedEvents(objs)
}

// EventsNamed returns the events about every pod that had this name in the
// namespace, deleted ones included (events outlive their pod by about an
// hour): what explains a process whose pod is gone. Oldest first.
func (c *Cache) EventsNamed(namespace, name string) []*corev1.Event {
	if c.events.informer == nil {
		return nil
	}
	var objs []any
	for _, o := range c.events.informer.GetStore().List() {
		ev := o.(*corev1.Event)
		if ev.InvolvedObject.Namespace == namespace && ev.InvolvedObject.Name == name {
			objs = append(objs, o)
		}
	}
	return sortedEvents(objs)
}

func sortedEvents(objs []any) []*corev1.Event {
	out := make([]*corev1.Event, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.(*corev1.Event))
	}
	sort.SliceStable(out, func(i, j int) bool { return EventTime(out[i]).Before(EventTime(out[j])) })
	return out
}
