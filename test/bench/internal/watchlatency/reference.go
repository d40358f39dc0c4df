package watchlatency

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// reference starts the benchmark's own informer, which records when it
// first saw each update; it returns how to stop it.
func (s *seqs) reference(ctx context.Context, b testing.TB, c Config, seen []atomic.Int64) (stop func()) {
	opts := []informers.SharedInformerOption{
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = c.Selector })}
	if c.Namespace != "" {
		opts = append(opts, informers.WithNamespace(c.Namespace))
	}
	f := informers.NewSharedInformerFactoryWithOptions(c.Client, 0, opts...)
	inf := f.Core().V1().Pods().Informer()
	onSeq := func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok {
			if n := s.of(p.Labels["seq"]); n >= 0 {
				seen[n].CompareAndSwap(0, time.Now().UnixNano())
			}
		}
	}
	if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: onSeq, UpdateFunc: func(_, o any) { onSeq(o) }}); err != nil {
		b.Fatal(err)
	}
	// Shutdown waits for the informer, which stops with its context only.
	infCtx, cancel := context.WithCancel(ctx)
	f.Start(infCtx.Done())
	cache.WaitForCacheSync(infCtx.Done(), inf.HasSynced)
	return func() { cancel(); f.Shutdown() }
}
