// Package ps measures `kubectl drunc ps -A` against `kubectl get pods -A -l
// creator.drunc.daq` on 5,000 drunc pods in 50 sessions (time to print and
// peak memory of each, in the same run), and the latency of `ps -w` from a
// pod update to its printed line at 100 updates/s. With -baseline BIN, BIN
// (a build of another commit) lists and watches the same pods too, right
// after the current binary each time, and both are compared.
//
//	make bench BENCH=Ps
package ps

import (
	"context"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
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
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/baseline"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/pods"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/stats"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/watchlatency"
)

var (
	sessions    = flag.Int("sessions", 50, "sessions (namespaces)")
	perSession  = flag.Int("processes", 100, "processes per session")
	nodes       = flag.Int("nodes", 25, "kwok nodes")
	rounds      = flag.Int("rounds", 3, "runs of each lister (the median is reported)")
	watchRounds = flag.Int("watch-rounds", 1, "runs of the watch latency (each binary in turn with -baseline)")
	updates     = flag.Int("updates", 1000, "pod updates sent to ps -w")
	rate        = flag.Int("rate", 100, "pod updates per second")
)

const creator = "creator.drunc.daq"

func BenchmarkPs(b *testing.B) {
	tc := testcluster.Get(b)
	pods.WaitNamespacesGone(b, tc.Client, "bench-ps-", 5*time.Minute, time.Second)
	hosts := testcluster.NodeNames("bench-ps", *nodes)
	tc.Nodes(b, hosts...)
	all := populate(b, tc, hosts)
	kubectl := filepath.Join(tc.StateDir, "bin", "kubectl")
	if _, err := exec.LookPath(kubectl); err != nil {
		kubectl = "/usr/bin/kubectl"
	}
	sides := baseline.Sides(b)
	baseline.Common(b, sides, "ps", []string{"-A", "-w", "-L"})

	b.Run("list", func(b *testing.B) { list(b, tc, sides, kubectl, len(all)) })
	b.Run("watch-latency", func(b *testing.B) { watch(b, tc, sides, all) })
}

// populate creates the sessions' pods (rendered as boot renders them) with
// many workers and waits until all run; tc.Namespace deletes them after.
func populate(b *testing.B, tc *testcluster.Cluster, hosts []string) []types.NamespacedName {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var names []types.NamespacedName
	var all []*corev1.Pod
	for s := range *sessions {
		ns := tc.Namespace(b, "bench-ps")
		tc.WaitServiceAccount(b, ns)
		pods.DeleteOnCleanup(b, tc.Client, ns)
		objs, err := podspec.Render(benchSession(ns, hosts, s), pmconfig.Default(), podspec.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range objs.Processes {
			r.Pod.Namespace = ns
			all = append(all, r.Pod)
			names = append(names, types.NamespacedName{Namespace: ns, Name: r.Pod.Name})
		}
	}
	running := countRunning(ctx, b, tc)
	t0 := time.Now()
	pods.Create(ctx, b, tc.Client, all, 64)
	for running.Load() < int64(len(all)) {
		if ctx.Err() != nil {
			b.Fatalf("%d of %d pods running after 15 min", running.Load(), len(all))
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.Logf("%d pods in %d sessions running %s after the first create", len(all), *sessions, time.Since(t0).Round(time.Millisecond))
	return names
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

// list runs `ps -A` of each side and `kubectl get`, in turn, -rounds times.
func list(b *testing.B, tc *testcluster.Cluster, sides []baseline.Side, kubectl string, n int) {
	runs := map[string][]proc.Usage{}
	lister := func(name, bin string, args ...string) {
		u := proc.Must(b, context.Background(), proc.Cmd{Bin: bin, Args: append([]string{"--kubeconfig=" + tc.Kubeconfig}, args...)})
		if u.Lines < n {
			b.Fatalf("%s printed %d lines for %d pods", name, u.Lines, n)
		}
		runs[name] = append(runs[name], u)
	}
	for range *rounds {
		for _, s := range sides {
			lister(s.Name, s.Bin, "ps", "-A")
		}
		lister("kubectl", kubectl, "get", "pods", "-A", "-l", creator)
	}
	wall := func(name string) time.Duration { return stats.Median(walls(runs[name])) }
	rss := func(name string) int64 { return stats.Median(maxRSS(runs[name])) }
	ps, k := wall(baseline.Current), wall("kubectl")
	b.ReportMetric(ps.Seconds(), "ps-s")
	b.ReportMetric(k.Seconds(), "kubectl-get-s")
	b.ReportMetric(ps.Seconds()/k.Seconds(), "time-ratio")
	pm, km := rss(baseline.Current), rss("kubectl")
	b.ReportMetric(float64(pm)/1024, "ps-maxrss-MiB")
	b.ReportMetric(float64(km)/1024, "kubectl-maxrss-MiB")
	b.ReportMetric(float64(pm)/float64(km), "rss-ratio")
	if !baseline.Enabled() {
		return
	}
	t := baseline.NewTable(fmt.Sprintf("ps -A of %d pods, %d rounds", n, *rounds))
	for _, s := range sides {
		for _, u := range runs[s.Name] {
			t.Add("ps -A wall (s)", s.Name, u.Wall.Seconds())
			t.Add("ps -A peak RSS (MiB)", s.Name, float64(u.MaxRSS)/1024)
			t.Add("ps -A CPU (s)", s.Name, u.CPU.Seconds())
		}
		fmt.Printf("%s: ps -A / kubectl get (medians of this run): time %.2f×, peak RSS %.2f×\n",
			s.Name, stats.Ratio(wall(s.Name), k), float64(rss(s.Name))/float64(km))
	}
	t.Report(b)
}

// watch measures ps -w's latency, -watch-rounds times for each side in turn.
func watch(b *testing.B, tc *testcluster.Cluster, sides []baseline.Side, all []types.NamespacedName) {
	t := baseline.NewTable(fmt.Sprintf("ps -w, %d updates at %d/s, %d round(s)", *updates, *rate, *watchRounds))
	var cur watchlatency.Result
	for range *watchRounds {
		for _, s := range sides {
			r := watchlatency.Measure(b, watchlatency.Config{
				Client: tc.Client, Selector: creator + ",seq", Pods: all, Stride: 37,
				Updates: *updates, Rate: *rate, Timeout: 10 * time.Minute,
				Ps: proc.Cmd{Bin: s.Bin, Args: []string{"--kubeconfig=" + tc.Kubeconfig, "ps", "-A", "-w", "-L", "seq"}},
			})
			if s.Name == baseline.Current {
				cur.Latency = append(cur.Latency, r.Latency...)
				cur.AfterCommit = append(cur.AfterCommit, r.AfterCommit...)
				cur.Informer = append(cur.Informer, r.Informer...)
			}
			t.Add("send → line p50 (ms)", s.Name, stats.MS(stats.Percentile(r.Latency, 50)))
			t.Add("send → line p99 (ms)", s.Name, stats.MS(stats.Percentile(r.Latency, 99)))
			t.Add("PATCH response → line p50 (ms)", s.Name, stats.MS(stats.Percentile(r.AfterCommit, 50)))
			t.Add("PATCH response → line p99 (ms)", s.Name, stats.MS(stats.Percentile(r.AfterCommit, 99)))
			t.Add("bare informer p99 (ms)", s.Name, stats.MS(stats.Percentile(r.Informer, 99)))
			t.Add("ps -w CPU (s)", s.Name, r.Ps.CPU.Seconds())
			t.Add("ps -w peak RSS (MiB)", s.Name, float64(r.Ps.MaxRSS)/1024)
		}
	}
	ms := func(p int, d []time.Duration) float64 { return stats.MS(stats.Percentile(d, p)) }
	// From the PATCH's response (the update committed) to the printed
	// line: the watch path and ps, without the write's own queueing.
	b.ReportMetric(ms(50, cur.AfterCommit), "after-commit-p50-ms")
	b.ReportMetric(ms(99, cur.AfterCommit), "after-commit-p99-ms")
	b.ReportMetric(ms(50, cur.Latency), "p50-ms")
	b.ReportMetric(ms(99, cur.Latency), "p99-ms")
	b.ReportMetric(ms(100, cur.Latency), "max-ms")
	// The same updates seen by a bare informer in this process: what
	// the API server's watch alone costs, for comparison.
	b.ReportMetric(ms(50, cur.Informer), "informer-p50-ms")
	b.ReportMetric(ms(99, cur.Informer), "informer-p99-ms")
	b.ReportMetric(float64(len(cur.Latency)), "updates")
	if baseline.Enabled() {
		t.Report(b)
	}
}

func walls(us []proc.Usage) []time.Duration {
	out := make([]time.Duration, len(us))
	for i, u := range us {
		out[i] = u.Wall
	}
	return out
}

func maxRSS(us []proc.Usage) []int64 {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.MaxRSS
	}
	return out
}
