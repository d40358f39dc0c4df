package scale

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// listing is `kubectl drunc ps -A` against `kubectl get pods -A -l
// creator.drunc.daq`, alternately, -rounds times each.
func listing(b *testing.B, tc *testcluster.Cluster, plugin string, pods int) (ps, kubectl []usage) {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	for range *rounds {
		u := command(b, ctx, "ps", plugin, nil, "--kubeconfig="+tc.Kubeconfig, "ps", "-A")
		if u.Lines < pods {
			b.Fatalf("ps -A printed %d lines for %d pods", u.Lines, pods)
		}
		ps = append(ps, u)
		u = command(b, ctx, "kubectl-get", kubectlPath, nil, "--kubeconfig="+tc.Kubeconfig, "get", "pods", "-A", "-l", "creator.drunc.daq")
		if u.Lines < pods {
			b.Fatalf("kubectl get printed %d lines for %d pods", u.Lines, pods)
		}
		kubectl = append(kubectl, u)
	}
	return ps, kubectl
}

// watchLatency runs `ps -A -w -L seq` while -updates label patches go to
// the session's pods at -rate per second (spread over all of them); the
// latency of each is from just before its PATCH is sent to the moment ps's
// line with it is read. It returns those latencies, the same counted from
// the PATCH's response (the change committed: the watch path and ps alone,
// without the write's own queueing on a busy API server), the latency of a
// bare informer in this process (what the server and the machine cost
// before any printing), and ps's usage.
func watchLatency(b *testing.B, tc *testcluster.Cluster, plugin, ns string, names []string) (lat, afterCommit, informer []time.Duration, u usage) {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	run := testcluster.UniqueName("r")
	printed := make([]atomic.Int64, *updates)
	var lines atomic.Int64
	ready := make(chan struct{})
	var readyOnce sync.Once
	onLine := func(line string, at time.Time) {
		if lines.Add(1) == int64(len(names))+1 { // header + the initial table
			readyOnce.Do(func() { close(ready) })
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			return
		}
		rest, ok := strings.CutPrefix(f[len(f)-1], run+".")
		if !ok {
			return
		}
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n < *updates {
			printed[n].CompareAndSwap(0, at.UnixNano())
		}
	}
	seenByInformer := make([]atomic.Int64, *updates)
	f := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = "seq" }))
	inf := f.Core().V1().Pods().Informer()
	onSeq := func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok {
			if rest, ok := strings.CutPrefix(p.Labels["seq"], run+"."); ok {
				if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n < *updates {
					seenByInformer[n].CompareAndSwap(0, time.Now().UnixNano())
				}
			}
		}
	}
	_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: onSeq, UpdateFunc: func(_, o any) { onSeq(o) }})
	// Shutdown waits for the informer, which stops with infCtx only.
	infCtx, stopInformer := context.WithCancel(ctx)
	defer func() { stopInformer(); f.Shutdown() }()
	f.Start(infCtx.Done())
	cache.WaitForCacheSync(infCtx.Done(), inf.HasSynced)
	psCtx, stopPs := context.WithCancel(ctx)
	defer stopPs()
	done := make(chan usage, 1)
	go func() {
		done <- command(b, psCtx, "ps-w", plugin, onLine, "--kubeconfig="+tc.Kubeconfig, "ps", "-A", "-w", "-L", "seq")
	}()
	select {
	case <-ready:
	case <-ctx.Done():
		b.Fatal("ps -w did not print the initial table")
	}
	sent := make([]time.Time, *updates)
	committed := make([]atomic.Int64, *updates)
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for i := range *updates {
		<-tick.C
		name := names[(i*7919)%len(names)]
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]string{"seq": run + "." + strconv.Itoa(i)}}})
		sent[i] = time.Now()
		wg.Go(func() {
			if _, err := tc.Client.CoreV1().Pods(ns).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				b.Errorf("patch %d: %v", i, err)
			}
			committed[i].Store(time.Now().UnixNano())
		})
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && countSet(printed) < *updates {
		time.Sleep(50 * time.Millisecond)
	}
	stopPs()
	u = <-done
	missing := 0
	for i := range sent {
		at := printed[i].Load()
		if at == 0 {
			missing++
			continue
		}
		lat = append(lat, time.Unix(0, at).Sub(sent[i]))
		if c := seenByInformer[i].Load(); c != 0 {
			informer = append(informer, time.Unix(0, c).Sub(sent[i]))
		}
		if c := committed[i].Load(); c != 0 {
			afterCommit = append(afterCommit, max(0, time.Unix(0, at).Sub(time.Unix(0, c))))
		}
	}
	if missing > 0 {
		b.Errorf("%d of %d updates never printed by ps -w", missing, *updates)
	}
	return lat, afterCommit, informer, u
}

func countSet(v []atomic.Int64) int {
	n := 0
	for i := range v {
		if v[i].Load() != 0 {
			n++
		}
	}
	return n
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}
