// Package pods sets up and clears the pods a benchmark measures the plugin
// on: created in bulk, waited for until they run, deleted at once.
package pods

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Create creates the pods, each in its own namespace, with workers
// goroutines; a failed create is an error of the benchmark.
func Create(ctx context.Context, b testing.TB, client kubernetes.Interface, pods []*corev1.Pod, workers int) {
	work := make(chan *corev1.Pod)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for p := range work {
				if _, err := client.CoreV1().Pods(p.Namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
					b.Errorf("creating %s/%s: %v", p.Namespace, p.Name, err)
				}
			}
		})
	}
	for _, p := range pods {
		work <- p
	}
	close(work)
	wg.Wait()
}

// WaitRunning lists the namespace's pods every `every` until n of them run;
// the benchmark fails when ctx ends first.
func WaitRunning(ctx context.Context, b testing.TB, client kubernetes.Interface, ns string, n int, every time.Duration) {
	for {
		list, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		running := 0
		if err == nil {
			for _, p := range list.Items {
				if p.Status.Phase == corev1.PodRunning {
					running++
				}
			}
		}
		if running == n {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%d of %d pods of %s running when the wait ended (%v)", running, n, ns, err)
		case <-time.After(every):
		}
	}
}

// DeleteOnCleanup deletes the namespace's pods at once, with no grace
// period, when the benchmark ends. Registered after the namespace, it runs
// before the namespace's deletion (cleanups run last first): thousands of
// pods deleted gracefully would load the cluster for minutes afterwards.
func DeleteOnCleanup(b testing.TB, client kubernetes.Interface, ns string) {
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		grace := int64(0)
		if err := client.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &grace}, metav1.ListOptions{}); err != nil {
			b.Logf("deleting the pods of %s: %v", ns, err)
		}
	})
}

// WaitNamespacesGone waits (bounded by within, a LIST every `every`) until
// no namespace named prefix... of an earlier run is left: its pods would be
// listed, watched or deleted while this run measures.
func WaitNamespacesGone(b testing.TB, client kubernetes.Interface, prefix string, within, every time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		list, err := client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
		left := 0
		if err == nil {
			for _, ns := range list.Items {
				if strings.HasPrefix(ns.Name, prefix) {
					left++
				}
			}
			if left == 0 {
				return
			}
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%d %s* namespaces of an earlier run still there after %s (%v)", left, prefix, within, err)
		case <-time.After(every):
		}
	}
}
