// Package nswatch waits on one namespace: boot waits for a session's
// namespace to be Active, terminating or gone, terminate for it to be gone.
package nswatch

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// Until watches the namespace called name until done(ns) holds (ns is nil
// once it is deleted), surviving watch restarts as UntilWithSync does,
// until ctx ends. Its lists are consistent reads: a list served from the
// apiserver's cache (resourceVersion 0) may not have a namespace created a
// moment ago yet, which would read as "deleted".
func Until(ctx context.Context, client kubernetes.Interface, name string, done func(*corev1.Namespace) bool) error {
	sel := fields.OneTermEqualSelector("metadata.name", name).String()
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = sel
			if o.ResourceVersion == "0" {
				o.ResourceVersion = ""
			}
			return client.CoreV1().Namespaces().List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = sel
			return client.CoreV1().Namespaces().Watch(ctx, o)
		},
	}
	_, err := watchtools.UntilWithSync(ctx, lw, &corev1.Namespace{}, func(store cache.Store) (bool, error) {
		if obj, ok, _ := store.GetByKey(name); ok {
			return done(obj.(*corev1.Namespace)), nil
		}
		return done(nil), nil
	}, func(ev watch.Event) (bool, error) {
		if ev.Type == watch.Deleted {
			return done(nil), nil
		}
		ns, ok := ev.Object.(*corev1.Namespace)
		return ok && done(ns), nil
	})
	return err
}
