package lifecycle

import (
	"context"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// servicesOf lists, once per namespace, the drunc services of these pods'
// namespaces, by namespace/name. A namespace whose list fails is skipped:
// its services are then left to the garbage collector (owner references).
func servicesOf(ctx context.Context, c kubernetes.Interface, pods []*corev1.Pod, keys session.LabelKeys) map[types.NamespacedName]*corev1.Service {
	namespaces := map[string]bool{}
	for _, p := range pods {
		namespaces[p.Namespace] = true
	}
	var mu sync.Mutex
	out := map[types.NamespacedName]*corev1.Service{}
	var wg sync.WaitGroup
	for ns := range namespaces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := c.CoreV1().Services(ns).List(ctx, metav1.ListOptions{LabelSelector: keys.CreatorSelector()})
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for i := range l.Items {
				s := &l.Items[i]
				out[types.NamespacedName{Namespace: s.Namespace, Name: s.Name}] = s
			}
		}()
	}
	wg.Wait()
	return out
}
