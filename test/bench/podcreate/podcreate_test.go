// Package podcreate measures the physical limit later benchmarks compare
// against: how fast a bare client-go program can create pods pinned to kwok
// nodes and see them all Running, with the client's rate limit raised versus
// client-go's default (QPS 5, Burst 10).
//
//	make bench BENCH=PodCreate
package podcreate

import (
	"context"
	"flag"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

var (
	pods    = flag.Int("pods", 500, "pods to create per run")
	nodes   = flag.Int("nodes", 10, "kwok nodes the pods are pinned to, round robin")
	workers = flag.Int("workers", 100, "goroutines creating pods")
)

func BenchmarkPodCreate(b *testing.B) {
	tc := testcluster.Get(b)
	names := testcluster.NodeNames("bench-node", *nodes)
	tc.Nodes(b, names...)

	rates := map[string]float64{}
	for _, limit := range []struct {
		name       string
		qps, burst int
	}{
		{"qps=1000,burst=2000", 1000, 2000},
		{"qps=5,burst=10(default)", 5, 10},
	} {
		b.Run(limit.name, func(b *testing.B) {
			cfg := rest.CopyConfig(tc.Config)
			cfg.QPS, cfg.Burst = float32(limit.qps), limit.burst
			client := kubernetes.NewForConfigOrDie(cfg)
			var total time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ns := tc.Namespace(b, "bench-podcreate")
				b.StartTimer()
				total += createAndWait(b, tc, client, ns, names)
			}
			rate := float64(*pods*b.N) / total.Seconds()
			rates[limit.name] = rate
			b.ReportMetric(rate, "pods/s")
			b.ReportMetric(total.Seconds()/float64(b.N), "s/all-running")
			if first := rates["qps=1000,burst=2000"]; limit.qps == 5 && first > 0 {
				// The ratio in the same run, so load from elsewhere on the machine affects both.
				b.ReportMetric(first/rate, "x-slower-than-qps1000")
			}
		})
	}
}

// createAndWait creates the pods with `workers` goroutines through client and
// returns the time from the first create until an informer (on the
// harness's unthrottled client) has seen every pod Running.
func createAndWait(b *testing.B, tc *testcluster.Cluster, client kubernetes.Interface, ns string, nodeNames []string) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	var running atomic.Int32
	seen := sync.Map{}
	allRunning := make(chan struct{})
	count := func(obj any) {
		p, ok := obj.(*corev1.Pod)
		if !ok || p.Status.Phase != corev1.PodRunning {
			return
		}
		if _, dup := seen.LoadOrStore(p.Name, true); !dup && running.Add(1) == int32(*pods) {
			close(allRunning)
		}
	}
	factory := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns))
	inf := factory.Core().V1().Pods().Informer()
	if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: count, UpdateFunc: func(_, o any) { count(o) },
	}); err != nil {
		b.Fatal(err)
	}
	factory.Start(ctx.Done())
	defer func() { cancel(); factory.Shutdown() }() // Shutdown waits for the informer, which stops on cancel
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		b.Fatal("pod informer did not sync")
	}

	jobs := make(chan int)
	errs := make(chan error, *pods)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if _, err := client.CoreV1().Pods(ns).Create(ctx, pod(i, nodeNames[i%len(nodeNames)]), metav1.CreateOptions{}); err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := 0; i < *pods; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	created := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatalf("creating pods: %v", err)
	}
	select {
	case <-allRunning:
	case <-ctx.Done():
		b.Fatalf("only %d of %d pods Running after 10 minutes", running.Load(), *pods)
	}
	elapsed := time.Since(start)
	b.Logf("%s: created %d pods in %.2fs, all Running after %.2fs", ns, *pods, created.Seconds(), elapsed.Seconds())
	return elapsed
}

func pod(i int, node string) *corev1.Pod {
	name := fmt.Sprintf("app-%04d", i)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": name}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: node},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: name, Image: "ghcr.io/dune-daq/alma9:latest"}},
		},
	}
}
