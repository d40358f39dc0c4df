// Package kill measures `kubectl drunc kill` of a 400-process session on
// kwok against the sum of its stages' minimal times: for each stage, the
// time from the first of its pods seen going to the last seen gone, as a
// separate informer of the benchmark observes them. The difference is all
// the plugin adds (process start, informer sync, the hand-over between
// stages); a sleep-polling kill would add its poll interval at every stage.
// A bare client-go program deleting the same pods at once, in no order,
// gives the physical limit for reference. With -baseline BIN, each round
// also kills an identical fresh session with BIN (right after the current
// binary) and the medians of both are compared. With -record (the default),
// each round also kills a session that carries a session record written as
// boot writes it, so kill records every process Killed: the record's cost
// is read from the two kills of the same round.
//
//	make bench BENCH=Kill
package kill

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/baseline"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

const (
	nodes       = 40
	segments    = 10 // level 1, each with subSegments at level 2
	subSegments = 2
	workers     = 100
)

// benchSession is an LCS, a root controller, 10 segment controllers, 20
// sub-segment controllers and applications under the sub-segments up to
// -processes (400): five kill stages.
func benchSession(name string, hosts []string) *session.Session {
	s := &session.Session{Name: name, User: "bench"}
	host := func(i int) string { return hosts[i%len(hosts)] }
	add := func(n, tree, exec string) {
		p := session.Process{Name: n, Host: host(len(s.Processes)), TreeID: tree}
		if exec == "gunicorn" {
			p.Executables = []session.Executable{{Exec: exec, Shell: "-b 0.0.0.0:8080 app"}}
		} else {
			p.Executables = []session.Executable{{Exec: exec, Args: []string{"-n", n}}}
		}
		s.Processes = append(s.Processes, p)
	}
	add("local-connection-server", "1", "gunicorn")
	add("root-controller", "0", session.ControllerExecutable)
	var leaves []string
	for i := 0; i < segments; i++ {
		add(fmt.Sprintf("seg-%02d", i), fmt.Sprintf("0.%d", i), session.ControllerExecutable)
		for j := 0; j < subSegments; j++ {
			tree := fmt.Sprintf("0.%d.%d", i, j)
			add(fmt.Sprintf("seg-%02d-%d", i, j), tree, session.ControllerExecutable)
			leaves = append(leaves, tree)
		}
	}
	for k := 0; len(s.Processes) < *processes; k++ {
		parent := leaves[k%len(leaves)]
		add(fmt.Sprintf("app-%03d", k), fmt.Sprintf("%s.%d", parent, k/len(leaves)), "daq_application")
	}
	return s
}

// watcher records when the benchmark's own informer first saw each pod
// going (deletionTimestamp) and gone, and when all are Running.
type watcher struct {
	mu      sync.Mutex
	going   map[string]time.Time
	gone    map[string]time.Time
	running map[string]bool
	allUp   chan struct{}
	allGone chan struct{}
	upOnce  sync.Once
	gnOnce  sync.Once
}

func watch(b *testing.B, tc *testcluster.Cluster, ctx context.Context, ns string) *watcher {
	w := &watcher{going: map[string]time.Time{}, gone: map[string]time.Time{}, running: map[string]bool{},
		allUp: make(chan struct{}), allGone: make(chan struct{})}
	f := informers.NewSharedInformerFactoryWithOptions(tc.Client, 0, informers.WithNamespace(ns))
	inf := f.Core().V1().Pods().Informer()
	update := func(obj any) {
		p := obj.(*corev1.Pod)
		now := time.Now()
		w.mu.Lock()
		defer w.mu.Unlock()
		if p.Status.Phase == corev1.PodRunning {
			w.running[p.Name] = true
			if len(w.running) == *processes {
				w.upOnce.Do(func() { close(w.allUp) })
			}
		}
		if p.DeletionTimestamp != nil {
			if _, ok := w.going[p.Name]; !ok {
				w.going[p.Name] = now
			}
		}
	}
	_, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    update,
		UpdateFunc: func(_, o any) { update(o) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			p := obj.(*corev1.Pod)
			now := time.Now()
			w.mu.Lock()
			defer w.mu.Unlock()
			if _, ok := w.going[p.Name]; !ok {
				w.going[p.Name] = now
			}
			w.gone[p.Name] = now
			if len(w.gone) == *processes {
				w.gnOnce.Do(func() { close(w.allGone) })
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	f.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		b.Fatal("informer did not sync")
	}
	return w
}

// createSession creates the rendered pods and services (no NodePort, so
// runs never collide) and waits until every pod runs. With record, it
// writes the session record as boot does: the index before the first pod,
// then every process's entry in one write per shard.
func createSession(b *testing.B, tc *testcluster.Cluster, ctx context.Context, ns string, hosts []string, record bool) (*watcher, []string) {
	objs, err := podspec.Render(benchSession(ns, hosts), pmconfig.Default(), podspec.Options{})
	if err != nil {
		b.Fatal(err)
	}
	store := sessionrecord.New(tc.Client, ns)
	if record {
		if _, err := store.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "bench-kill.yaml"},
			Digest: sessionrecord.Digest(objs), Processes: len(objs.Processes), LabelDomain: session.Keys("").Domain}); err != nil {
			b.Fatal(err)
		}
	}
	w := watch(b, tc, ctx, ns)
	jobs := make(chan podspec.Rendered)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		entries []sessionrecord.Entry
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				pod, err := tc.Client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{})
				if err != nil {
					b.Errorf("creating %s: %v", r.Pod.Name, err)
					continue
				}
				r.Service.Spec.Type, r.Service.Spec.ExternalTrafficPolicy = corev1.ServiceTypeClusterIP, ""
				for i := range r.Service.Spec.Ports {
					r.Service.Spec.Ports[i].NodePort = 0
				}
				podspec.OwnService(r.Service, pod)
				if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, r.Service, metav1.CreateOptions{}); err != nil {
					b.Errorf("creating service %s: %v", r.Service.Name, err)
				}
				if record {
					e, err := sessionrecord.NewEntry(&r, r.Pod, pod.UID, pod.CreationTimestamp.Time)
					if err != nil {
						b.Error(err)
						continue
					}
					mu.Lock()
					entries = append(entries, e)
					mu.Unlock()
				}
			}
		}()
	}
	for _, r := range objs.Processes {
		jobs <- r
	}
	close(jobs)
	wg.Wait()
	if record {
		if err := store.Put(ctx, entries); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-w.allUp:
	case <-ctx.Done():
		b.Fatalf("session %s not all Running", ns)
	}
	var names []string
	for _, r := range objs.Processes {
		names = append(names, r.Pod.Name)
	}
	return w, names
}

// stageOf maps pod name → kill stage, as the plugin orders them.
func stageOf(b *testing.B, tc *testcluster.Cluster, ctx context.Context, ns string) ([]string, map[string]string) {
	l, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var pods []*corev1.Pod
	for i := range l.Items {
		pods = append(pods, &l.Items[i])
	}
	var order []string
	of := map[string]string{}
	for _, st := range lifecycle.KillStages(pods, session.Keys("")) {
		order = append(order, st.Name)
		for _, p := range st.Pods {
			of[p.Name] = st.Name
		}
	}
	return order, of
}

var (
	processes = flag.Int("processes", 400, "processes of the session (at least 33: the controllers and one application)")
	rounds    = flag.Int("rounds", 1, "kills of each binary (current, then -baseline's, interleaved) and bare deletions; medians are reported")
	record    = flag.Bool("record", true, "each round also kills a session with a session record (as boot writes it), right after the one without; the figures \"…, recorded\" are that kill's")
)

func BenchmarkKill400(b *testing.B) {
	if *processes < 3+segments*(1+subSegments) {
		b.Fatalf("-processes %d: the session has %d controllers, at least one application is needed", *processes, 2+segments*(1+subSegments))
	}
	tc := testcluster.Get(b)
	hosts := testcluster.NodeNames("bench-kill", nodes)
	tc.Nodes(b, hosts...)
	sides := baseline.Sides(b)
	flags := baseline.Common(b, sides, "kill", []string{"-n"}, []string{"-o", "name"})
	table := baseline.NewTable(fmt.Sprintf("kill of %d processes, %d round(s)", *processes, *rounds*b.N))
	for i := 0; i < b.N; i++ {
		for range *rounds {
			for _, side := range sides {
				name := "kubectl-drunc-kill"
				if side.Name == baseline.Baseline {
					name += "-baseline"
				}
				for _, recorded := range recordings() {
					run, suffix := name, ""
					if recorded {
						run, suffix = name+"-recorded", ", recorded"
					}
					b.Run(run, func(b *testing.B) {
						k := killOnce(b, tc, hosts, side.Bin, flags, recorded)
						table.Add("wall"+suffix+" (s)", side.Name, k.wall.Seconds())
						table.Add("sum of stage spans"+suffix+" (s)", side.Name, k.sum.Seconds())
						table.Add("overhead"+suffix+" (s)", side.Name, (k.wall - k.sum).Seconds())
						table.Add("start to first pod going"+suffix+" (ms)", side.Name, ms(k.firstGoing))
						table.Add("largest hand-over"+suffix+" (ms)", side.Name, ms(k.maxGap))
						table.Add("CPU"+suffix+" (s)", side.Name, k.usage.CPU.Seconds())
						table.Add("peak RSS"+suffix+" (MiB)", side.Name, float64(k.usage.MaxRSS)/1024)
					})
				}
			}
			b.Run("bare-client-go-delete-all-at-once", func(b *testing.B) { bareOnce(b, tc, hosts) })
		}
	}
	table.Report(b)
	if *record {
		// Both kills of a round see the same load: the ratio of their
		// medians is what the record costs kill.
		for _, f := range []string{"wall", "overhead", "CPU"} {
			unit := " (s)"
			plain, rec := table.Median(f+unit, baseline.Current), table.Median(f+", recorded"+unit, baseline.Current)
			if plain > 0 {
				fmt.Printf("kill %s with the record / without: %.3f× (%.3g / %.3g s)\n", f, rec/plain, rec, plain)
				b.ReportMetric(rec/plain, "x/"+baseline.MetricName(f)+"-recorded-vs-unrecorded")
			}
		}
	}
}

// recordings is whether each kill of a round has a session record: without,
// then (with -record) with.
func recordings() []bool {
	if *record {
		return []bool{false, true}
	}
	return []bool{false}
}

// killed is one kill as the referee saw it.
type killed struct {
	wall, sum, firstGoing, maxGap time.Duration
	usage                         proc.Usage
}

// killOnce kills a fresh session with `BIN kill -n NS FLAGS`; with record,
// the session has a record, and every process must be recorded Killed.
func killOnce(b *testing.B, tc *testcluster.Cluster, hosts []string, bin string, flags []string, record bool) killed {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b.StopTimer()
	ns := tc.Namespace(b, "bench-kill")
	w, _ := createSession(b, tc, ctx, ns, hosts, record)
	order, of := stageOf(b, tc, ctx, ns)
	b.StartTimer()

	args := append([]string{"--kubeconfig=" + tc.Kubeconfig, "kill", "-n", ns}, flags...)
	start := time.Now()
	u, err := proc.Run(ctx, proc.Cmd{Bin: bin, Args: args, Env: baseline.Env(tc)})
	if err != nil {
		b.Fatalf("%s kill: %v\n%s", bin, err, u.Stderr)
	}
	k := killed{wall: u.Wall, usage: u}
	b.StopTimer()
	select {
	case <-w.allGone:
	case <-ctx.Done():
		b.Fatal("not all pods seen gone")
	}
	if record {
		checkKilled(b, tc, ctx, ns)
	}
	var lines []string
	k.sum, k.maxGap, lines, k.firstGoing = stageSpans(w, order, of, start)
	b.ReportMetric(k.wall.Seconds(), "s/wall")
	b.ReportMetric(k.sum.Seconds(), "s/sum-of-stages")
	b.ReportMetric((k.wall - k.sum).Seconds(), "s/overhead")
	b.ReportMetric(ms(k.maxGap), "ms/max-stage-gap")
	b.Logf("kill of %d processes in %d stages: wall %.2fs, sum of stages %.2fs, overhead %.2fs (start to first deletion %.0f ms, largest hand-over between stages %.1f ms); %s\n%s\nthe plugin's own view (stderr):\n%s",
		*processes, len(order), k.wall.Seconds(), k.sum.Seconds(), (k.wall - k.sum).Seconds(), ms(k.firstGoing), ms(k.maxGap), u, strings.Join(lines, "\n"), u.Stderr)
	return k
}

// checkKilled fails unless the kill recorded every process of the session
// Killed: a kill that skipped the record would otherwise measure as cheap.
func checkKilled(b *testing.B, tc *testcluster.Cluster, ctx context.Context, ns string) {
	rec, err := sessionrecord.New(tc.Client, ns).Read(ctx)
	if err != nil {
		b.Fatal(err)
	}
	killed := 0
	for _, e := range rec.Entries {
		if e.State == sessionrecord.StateKilled {
			killed++
		}
	}
	if killed != *processes {
		b.Fatalf("the record of %s has %d of %d processes Killed after the kill", ns, killed, *processes)
	}
}

// stageSpans reads each stage from the referee's records, first pod seen
// going → last pod seen gone: their sum, the largest hand-over between
// stages, a line per stage, and the time from start to the first pod going.
func stageSpans(w *watcher, order []string, of map[string]string, start time.Time) (sum, maxGap time.Duration, lines []string, firstGoing time.Duration) {
	type span struct{ first, last time.Time }
	spans := map[string]*span{}
	w.mu.Lock()
	for name, st := range of {
		s := spans[st]
		if s == nil {
			s = &span{first: w.going[name], last: w.gone[name]}
			spans[st] = s
		}
		if w.going[name].Before(s.first) {
			s.first = w.going[name]
		}
		if w.gone[name].After(s.last) {
			s.last = w.gone[name]
		}
	}
	w.mu.Unlock()
	for i, st := range order {
		s := spans[st]
		d := s.last.Sub(s.first)
		sum += d
		gap := time.Duration(0)
		if i > 0 {
			gap = s.first.Sub(spans[order[i-1]].last)
			maxGap = max(maxGap, gap)
		}
		lines = append(lines, fmt.Sprintf("%-28s %4d pods  %7.1f ms  (gap after previous stage %5.1f ms)", st, count(of, st), ms(d), ms(gap)))
	}
	return sum, maxGap, lines, spans[order[0]].first.Sub(start)
}

// bareOnce deletes every pod at once with a bare client-go program (no
// stages, no waits between) until the informer sees all gone.
func bareOnce(b *testing.B, tc *testcluster.Cluster, hosts []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b.StopTimer()
	ns := tc.Namespace(b, "bench-kill-bare")
	w, names := createSession(b, tc, ctx, ns, hosts, false)
	sort.Strings(names)
	b.StartTimer()
	start := time.Now()
	jobs := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range jobs {
				if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, n, metav1.DeleteOptions{}); err != nil {
					b.Errorf("deleting %s: %v", n, err)
				}
			}
		}()
	}
	for _, n := range names {
		jobs <- n
	}
	close(jobs)
	wg.Wait()
	select {
	case <-w.allGone:
	case <-ctx.Done():
		b.Fatal("not all pods seen gone")
	}
	d := time.Since(start)
	b.ReportMetric(d.Seconds(), "s/all-gone")
	b.Logf("bare client-go: %d pods deleted at once, all gone after %.2fs", *processes, d.Seconds())
}

func count(of map[string]string, st string) int {
	n := 0
	for _, s := range of {
		if s == st {
			n++
		}
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
