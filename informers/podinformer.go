package informers

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

// newPodInformer is client-go's pod informer (without its informer
// factory, which links the informers and listers of every API group into
// every command), except that pods are transformed as they are decoded:
// a LIST is read from the response one pod at a time (listPods), so
// neither the response nor the untransformed pods are ever held whole,
// and watch events are transformed as they arrive. client-go would
// transform only once the whole list, every page of it, was decoded.
// Lists and watches are reported to start.
func newPodInformer(client kubernetes.Interface, namespace string, tweak func(*metav1.ListOptions), transform cache.TransformFunc, start *watchStart) cache.SharedIndexInformer {
	pods := client.CoreV1().Pods(namespace)
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			tweak(&o)
			list, err := listTransformed(ctx, client, namespace, o, transform)
			start.listed(err)
			if err != nil {
				return nil, err
			}
			return list, nil
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			tweak(&o)
			w, err := pods.Watch(ctx, o)
			if err != nil {
				return nil, err
			}
			start.watching()
			return watch.Filter(w, func(e watch.Event) (watch.Event, bool) {
				if obj, err := transform(e.Object); err == nil {
					e.Object = obj.(runtime.Object)
				}
				return e, true
			}), nil
		},
	}
	return cache.NewSharedIndexInformerWithOptions(cache.ToListWatcherWithWatchListSemantics(lw, client), &corev1.Pod{},
		cache.SharedIndexInformerOptions{Indexers: cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc}})
}

// listTransformed lists pods and transforms them: as they are decoded over
// HTTP, after the list with a client without HTTP (a fake clientset).
func listTransformed(ctx context.Context, client kubernetes.Interface, namespace string, o metav1.ListOptions, transform cache.TransformFunc) (*podPointerList, error) {
	if rc, ok := client.CoreV1().RESTClient().(*rest.RESTClient); ok && rc != nil && rc.Client != nil {
		return listPods(ctx, rc, namespace, o, transform)
	}
	list, err := client.CoreV1().Pods(namespace).List(ctx, o)
	if err != nil {
		return nil, err
	}
	return transformList(list, transform)
}

// listPods is the typed client's pod List, with the response decoded
// item by item (decodePodList) when the server answers in protobuf, as
// it does for pods.
func listPods(ctx context.Context, rc *rest.RESTClient, namespace string, o metav1.ListOptions, transform cache.TransformFunc) (*podPointerList, error) {
	var timeout time.Duration
	if o.TimeoutSeconds != nil {
		timeout = time.Duration(*o.TimeoutSeconds) * time.Second
	}
	body, err := rc.Get().
		NamespaceIfScoped(namespace, namespace != "").
		Resource("pods").
		VersionedParams(&o, scheme.ParameterCodec).
		SetHeader("Accept", runtime.ContentTypeProtobuf+","+runtime.ContentTypeJSON).
		Timeout(timeout).
		Stream(ctx)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	list, err := decodePodList(body, transform)
	if err != nil {
		return nil, fmt.Errorf("decoding the pod list: %w", err)
	}
	return list, nil
}
