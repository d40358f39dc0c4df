// Package ps measures `kubectl drunc ps -A` against `kubectl get pods -A -l
// creator.drunc.daq` on 5,000 drunc pods in 50 sessions (time to print and
// peak memory of each, in the same run), and the latency of `ps -w` from a
// pod update to its printed line at 100 updates/s.
//
//	make bench BENCH=Ps
package ps

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var (
	sessions   = flag.Int("sessions", 50, "sessions (namespaces)")
	perSession = flag.Int("processes", 100, "processes per session")
	nodes      = flag.Int("nodes", 25, "kwok nodes")
	rounds     = flag.Int("rounds", 3, "runs of each lister (the median is reported)")
	updates    = flag.Int("updates", 1000, "pod updates sent to ps -w")
	rate       = flag.Int("rate", 100, "pod updates per second")
)

const creator = "creator.drunc.daq"

func BenchmarkPs(b *testing.B) {
	tc := testcluster.Get(b)
	waitLeftoversGone(b, tc)
	hosts := testcluster.NodeNames("bench-ps", *nodes)
	tc.Nodes(b, hosts...)
	all := populate(b, tc, hosts)
	kubectl := kubectlBinary(tc)
	plugin := testcluster.PluginBinary(b)

	b.Run("list", func(b *testing.B) {
		var psT, kT []time.Duration
		var psM, kM []int64
		for range *rounds {
			d, m, n := run(b, plugin, "--kubeconfig="+tc.Kubeconfig, "ps", "-A")
			if n < len(all) {
				b.Fatalf("ps -A printed %d lines for %d pods", n, len(all))
			}
			psT, psM = append(psT, d), append(psM, m)
			d, m, n = run(b, kubectl, "--kubeconfig="+tc.Kubeconfig, "get", "pods", "-A", "-l", creator)
			if n < len(all) {
				b.Fatalf("kubectl get printed %d lines for %d pods", n, len(all))
			}
			kT, kM = append(kT, d), append(kM, m)
		}
		ps, k := median(psT), median(kT)
		b.ReportMetric(ps.Seconds(), "ps-s")
		b.ReportMetric(k.Seconds(), "kubectl-get-s")
		b.ReportMetric(ps.Seconds()/k.Seconds(), "time-ratio")
		pm, km := medianInt(psM), medianInt(kM)
		b.ReportMetric(float64(pm)/1024, "ps-maxrss-MiB")
		b.ReportMetric(float64(km)/1024, "kubectl-maxrss-MiB")
		b.ReportMetric(float64(pm)/float64(km), "rss-ratio")
	})

	b.Run("watch-latency", func(b *testing.B) {
		lat, ref, afterCommit := watchLatency(b, tc, plugin, all)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		// From the PATCH's response (the update committed) to the printed
		// line: the watch path and ps, without the write's own queueing.
		b.ReportMetric(ms(percentile(afterCommit, 50)), "after-commit-p50-ms")
		b.ReportMetric(ms(percentile(afterCommit, 99)), "after-commit-p99-ms")
		b.ReportMetric(ms(percentile(lat, 50)), "p50-ms")
		b.ReportMetric(ms(percentile(lat, 99)), "p99-ms")
		b.ReportMetric(ms(percentile(lat, 100)), "max-ms")
		// The same updates seen by a bare informer in this process: what
		// the API server's watch alone costs, for comparison.
		b.ReportMetric(ms(percentile(ref, 50)), "informer-p50-ms")
		b.ReportMetric(ms(percentile(ref, 99)), "informer-p99-ms")
		b.ReportMetric(float64(len(lat)), "updates")
	})
}

// populate creates the sessions' pods (rendered as boot renders them) with
// many workers and waits until all run; tc.Namespace deletes them after.
func populate(b *testing.B, tc *testcluster.Cluster, hosts []string) []types.NamespacedName {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var all []types.NamespacedName
	var pods []*corev1.Pod
	for s := range *sessions {
		ns := tc.Namespace(b, "bench-ps")
		tc.WaitServiceAccount(b, ns)
		// Runs before the namespace deletion (cleanups run last first):
		// 5,000 pods deleted at once with no grace period spare the
		// cluster minutes of graceful terminations after the benchmark.
		b.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			grace := int64(0)
			if err := tc.Client.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &grace}, metav1.ListOptions{}); err != nil {
				b.Logf("deleting the pods of %s: %v", ns, err)
			}
		})
		objs, err := podspec.Render(benchSession(ns, hosts, s), pmconfig.Default(), podspec.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range objs.Processes {
			r.Pod.Namespace = ns
			pods = append(pods, r.Pod)
			all = append(all, types.NamespacedName{Namespace: ns, Name: r.Pod.Name})
		}
	}
	running := countRunning(ctx, b, tc)
	work := make(chan *corev1.Pod)
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for p := range work {
				if _, err := tc.Client.CoreV1().Pods(p.Namespace).Create(ctx, p, metav1.CreateOptions{}); err != nil {
					b.Errorf("creating %s/%s: %v", p.Namespace, p.Name, err)
				}
			}
		})
	}
	t0 := time.Now()
	for _, p := range pods {
		work <- p
	}
	close(work)
	wg.Wait()
	for running.Load() < int64(len(pods)) {
		if ctx.Err() != nil {
			b.Fatalf("%d of %d pods running after 15 min", running.Load(), len(pods))
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Logf("%d pods in %d sessions running %s after the first create", len(pods), *sessions, time.Since(t0).Round(time.Millisecond))
	return all
}

// waitLeftoversGone waits (bounded) until the sessions of a previous run
// are deleted: their pods would be listed and watched too.
func waitLeftoversGone(b *testing.B, tc *testcluster.Cluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for {
		list, err := tc.Client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
		left := 0
		if err == nil {
			for _, ns := range list.Items {
				if strings.HasPrefix(ns.Name, "bench-ps-") {
					left++
				}
			}
			if left == 0 {
				return
			}
		}
		if ctx.Err() != nil {
			b.Fatalf("%d bench-ps namespaces of a previous run still there after 5 min (%v)", left, err)
		}
		time.Sleep(time.Second)
	}
}

// countRunning counts Running drunc pods with an informer of its own.
func countRunning(ctx context.Context, b *testing.B, tc *testcluster.Cluster) *atomic.Int64 {
	var n atomic.Int64
	var seen sync.Map
	f := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = creator }))
	count := func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok && p.Status.Phase == corev1.PodRunning && strings.HasPrefix(p.Namespace, "bench-ps") {
			if _, dup := seen.LoadOrStore(p.UID, true); !dup {
				n.Add(1)
			}
		}
	}
	inf := f.Core().V1().Pods().Informer()
	_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: count, UpdateFunc: func(_, o any) { count(o) }})
	f.Start(ctx.Done())
	return &n
}

// benchSession: an LCS, a root controller, segments with sub-segments and
// applications beneath them, up to -processes processes.
func benchSession(name string, hosts []string, offset int) *session.Session {
	s := &session.Session{Name: name, User: "bench"}
	add := func(n, tree, exec string) {
		p := session.Process{Name: n, Host: hosts[(offset+len(s.Processes))%len(hosts)], TreeID: tree,
			Executables: []session.Executable{{Exec: exec, Args: []string{"-n", n}}}}
		if exec == "gunicorn" {
			p.Executables = []session.Executable{{Exec: exec, Shell: "-b 0.0.0.0:8080 app"}}
		}
		s.Processes = append(s.Processes, p)
	}
	add("local-connection-server", "1", "gunicorn")
	add("root-controller", "0", session.ControllerExecutable)
	for seg := 0; len(s.Processes) < *perSession; seg++ {
		add(fmt.Sprintf("seg-%02d", seg), fmt.Sprintf("0.%d", seg), session.ControllerExecutable)
		for app := 0; app < 9 && len(s.Processes) < *perSession; app++ {
			add(fmt.Sprintf("app-%02d-%d", seg, app), fmt.Sprintf("0.%d.%d", seg, app), "daq_application")
		}
	}
	return s
}

// run times a lister and reads its peak memory (max RSS) from rusage; it
// returns the number of lines printed.
func run(b *testing.B, bin string, args ...string) (time.Duration, int64, int) {
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines++
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.String())
	}
	d := time.Since(t0)
	return d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss, lines
}

// watchLatency starts `ps -A -w -L seq`, then sends -updates label patches
// at -rate per second (seq=N on a pod, round robin) and measures, for
// each, the time from sending the patch to ps printing the line with it.
func watchLatency(b *testing.B, tc *testcluster.Cluster, plugin string, all []types.NamespacedName) (lat, ref, afterCommit []time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	// seq values carry this run's id, so that no other pod's label (an
	// earlier run's) can be taken for one of these updates.
	run := testcluster.UniqueName("r")
	seqOf := func(v string) int {
		rest, ok := strings.CutPrefix(v, run+".")
		if !ok {
			return -1
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 || n >= *updates {
			return -1
		}
		return n
	}
	seenByInformer := make([]atomic.Int64, *updates)
	f := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = creator + ",seq" }))
	inf := f.Core().V1().Pods().Informer()
	onSeq := func(obj any) {
		if p, ok := obj.(*corev1.Pod); ok {
			if seq := seqOf(p.Labels["seq"]); seq >= 0 {
				seenByInformer[seq].CompareAndSwap(0, time.Now().UnixNano())
			}
		}
	}
	_, _ = inf.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: onSeq, UpdateFunc: func(_, o any) { onSeq(o) }})
	f.Start(ctx.Done())
	cache.WaitForCacheSync(ctx.Done(), inf.HasSynced)
	cmd := exec.CommandContext(ctx, plugin, "--kubeconfig="+tc.Kubeconfig, "ps", "-A", "-w", "-L", "seq")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	printed := make([]time.Time, *updates)
	var got atomic.Int64
	ready := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		n := 0
		for sc.Scan() {
			now := time.Now()
			n++
			if n == len(all)+1 { // header + the initial table
				close(ready)
			}
			f := strings.Fields(sc.Text())
			if len(f) == 0 {
				continue
			}
			if seq := seqOf(f[len(f)-1]); seq >= 0 && printed[seq].IsZero() {
				printed[seq] = now
				got.Add(1)
			}
		}
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
		p := all[(i*37)%len(all)]
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]string{"seq": run + "." + strconv.Itoa(i)}}})
		sent[i] = time.Now()
		wg.Go(func() {
			if _, err := tc.Client.CoreV1().Pods(p.Namespace).Patch(ctx, p.Name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				b.Errorf("patch %d: %v", i, err)
			}
			committed[i].Store(time.Now().UnixNano())
		})
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for got.Load() < int64(*updates) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	_ = cmd.Wait()
	<-readerDone
	for i := range sent {
		if printed[i].IsZero() {
			b.Errorf("update %d never printed", i)
			continue
		}
		lat = append(lat, printed[i].Sub(sent[i]))
		if at := seenByInformer[i].Load(); at != 0 {
			ref = append(ref, time.Unix(0, at).Sub(sent[i]))
		}
		if at := committed[i].Load(); at != 0 {
			afterCommit = append(afterCommit, max(0, printed[i].Sub(time.Unix(0, at))))
		}
	}
	return lat, ref, afterCommit
}

func kubectlBinary(tc *testcluster.Cluster) string {
	if p := filepath.Join(tc.StateDir, "bin", "kubectl"); fileExists(p) {
		return p
	}
	return "/usr/bin/kubectl"
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func medianInt(v []int64) int64 {
	s := append([]int64(nil), v...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s) - 1) * p / 100
	return s[i]
}
