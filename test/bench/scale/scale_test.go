// Package scale measures a whole session's life at DUNE's future scale —
// 10,000 processes (a connection server, a root controller, segments of a
// controller and 19 applications, a pod and a service each) on 1,000 kwok
// nodes — each step against a contender in the same run:
//
//   - boot to all Ready vs (a+svc): bare client-go creating the same pods and
//     their services with no client-side limit;
//   - `ps -A` time and peak memory vs `kubectl get pods -A -l creator.drunc.daq`;
//   - `ps -w` change-to-line latency while -rate changes/s happen;
//   - terminate vs its floor: bare client-go deleting the same pods (their
//     services owned by them) and then the namespace, unordered, with no
//     limit, until the namespace is gone; each also until every process is
//     gone, and kill's application stage against the floor's pods.
//
// It needs -nodes Ready fake nodes named -node-prefix NNNN: a cluster of its
// own (make bench-scale starts one), or -create-nodes.
package scale

import (
	"flag"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/pods"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/stats"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/watchlatency"
)

var (
	processes    = flag.Int("processes", 10000, "processes of the session (with an LCS and a root controller)")
	nodeCount    = flag.Int("nodes", 1000, "kwok nodes the processes are spread over")
	nodePrefix   = flag.String("node-prefix", "np02-srv-", "the fake nodes are PREFIX0001, PREFIX0002, ...")
	makeNodes    = flag.Bool("create-nodes", false, "create missing fake nodes (and delete them after) instead of skipping")
	rounds       = flag.Int("rounds", 5, "runs of ps -A and of kubectl get each (alternately), and of status; the median is reported")
	updates      = flag.Int("updates", 1000, "pod changes sent while ps -w runs")
	rate         = flag.Int("rate", 100, "pod changes per second")
	phaseTimeout = flag.Duration("phase-timeout", 10*time.Minute, "bound of each step")
	contenders   = flag.Bool("contenders", true, "also run the bare client-go contenders ((a+svc) and the floor)")
	restartAPI   = flag.Bool("restart-apiserver", false, "restart the API server before each of the two sessions' lives (only on a cluster started for this run, as make bench-scale does); BENCHMARKS.md says what it changes")
	druncFirst   = flag.Bool("drunc-first", false, "run the drunc session's life before the contenders instead of after (each side then starts on the cluster the other left)")
	profileDir   = flag.String("profile", "", "run a profiled build of the plugin and write CPU and heap profiles of each step into this directory")
	settleSteps  = flag.Bool("settle", true, "start each step on a settled cluster (see settle); false: each step follows the last at once, a shorter run whose ps, status, ps -w and deletions share the machine with the controller-manager's backlog")
	bootArgs     = flag.String("boot-args", "", "more flags for the plugin's boot, space-separated (e.g. \"--max-in-flight 256\")")
)

func BenchmarkScale(b *testing.B) {
	tc := testcluster.Get(b)
	plugin := binaries(b, tc)
	hostNames := hosts(b, tc)
	// An earlier run's sessions would be deleted while this run measures.
	pods.WaitNamespacesGone(b, tc.Client, "scale-", *phaseTimeout, 2*time.Second)
	r := &results{processes: *processes, nodes: len(hostNames), loadBefore: uptime()}
	progress("%d processes on %d nodes; %s", r.processes, r.nodes, r.loadBefore)
	drunc := func() { druncLife(b, tc, plugin, hostNames, r) }
	lives := []func(){drunc}
	if *contenders {
		lives = []func(){func() { contenderLife(b, tc, hostNames, r) }, drunc}
		if *druncFirst {
			lives[0], lives[1] = lives[1], lives[0]
		}
	}
	for range b.N {
		for _, life := range lives {
			// Before each life, not only between them, so both sides
			// start alike (-restart-apiserver).
			if len(lives) > 1 {
				restartAPIServer(b)
			}
			// The other life's deletion may have left the
			// controller-manager a backlog.
			progress("cluster settled before the next life: %s", settle(tc, *phaseTimeout))
			life()
		}
	}
	r.loadAfter = uptime()
	fmt.Println(r.table())
	r.metrics(b)
}

// contenderLife boots (a+svc) and deletes it as the floor.
func contenderLife(b *testing.B, tc *testcluster.Cluster, hostNames []string, r *results) {
	ns := testcluster.UniqueName("scale-bare")
	o := observe(b, tc, ns)
	defer o.stop()
	var names []string
	r.barePlane = measurePlane(tc, func() { r.bare, names = bareBoot(b, tc, ns, hostNames, o) })
	progress("(a+svc) all Ready after %s; control plane CPU %s", r.bare.Round(time.Millisecond), r.barePlane)
	r.bareSettle = settle(tc, *phaseTimeout)
	progress("cluster settled after (a+svc): %s; deleting it as the floor", r.bareSettle)
	r.floorPlane = measurePlane(tc, func() { r.floor = floorDelete(b, tc, ns, names, o) })
	progress("floor: every process gone after %.2f s, the namespace after %.2f s; control plane CPU %s", r.floor.ProcessesGone.Seconds(), r.floor.NamespaceGone.Seconds(), r.floorPlane)
}

// druncLife boots the session with the plugin, lists it, watches it and
// terminates it.
func druncLife(b *testing.B, tc *testcluster.Cluster, plugin string, hostNames []string, r *results) {
	ns := testcluster.UniqueName("scale-drunc")
	o := observe(b, tc, ns)
	b.Cleanup(o.stop)
	file := bootFile(b, ns, hostNames)
	r.bootPlane = measurePlane(tc, func() { r.boot = runBoot(b, plugin, tc, file, ns, o) })
	progress("control plane CPU during boot: %s", r.bootPlane)
	r.bootSettle = settle(tc, *phaseTimeout)
	progress("cluster settled after boot: %s", r.bootSettle)
	names := readyNames(o)
	r.informerPerPod, r.fullPerPod = informerMemory(b, tc, ns, len(names))
	progress("informer memory per pod: %.0f B trimmed, %.0f B full", r.informerPerPod, r.fullPerPod)
	r.ps, r.kubectl = listing(b, tc, plugin, len(names))
	progress("ps -A: %s; kubectl get: %s", proc.MedianWall(r.ps), proc.MedianWall(r.kubectl))
	r.status = sessionStatus(b, tc, plugin, ns)
	progress("status -n: %s", proc.MedianWall(r.status))
	var w watchlatency.Result
	r.watchPlane = measurePlane(tc, func() { w = watchLatency(b, tc, plugin, ns, names) })
	r.latency, r.afterCommit, r.informer, r.psw = w.Latency, w.AfterCommit, w.Informer, w.Ps
	progress("ps -w: p50 %.1f ms, p99 %.1f ms; after the PATCH's response p50 %.1f ms, p99 %.1f ms; a bare informer p50 %.1f ms, p99 %.1f ms",
		stats.MS(stats.Percentile(r.latency, 50)), stats.MS(stats.Percentile(r.latency, 99)), stats.MS(stats.Percentile(r.afterCommit, 50)), stats.MS(stats.Percentile(r.afterCommit, 99)),
		stats.MS(stats.Percentile(r.informer, 50)), stats.MS(stats.Percentile(r.informer, 99)))
	progress("control plane CPU during the ps -w changes: %s", r.watchPlane)
	r.watchSettle = settle(tc, *phaseTimeout)
	progress("cluster settled after the ps -w changes: %s", r.watchSettle)
	r.termPlane = measurePlane(tc, func() { r.terminate, r.term, r.stages = runTerminate(b, plugin, tc, ns, o) })
	progress("control plane CPU during terminate: %s", r.termPlane)
}

// progress prints a step's figures at once (a benchmark's log is printed
// only when it ends), so a run cut short still shows what it measured.
func progress(format string, a ...any) {
	fmt.Printf("%s %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, a...))
}

func uptime() string {
	out, err := exec.Command("uptime").Output()
	if err != nil {
		return "?"
	}
	s := string(out)
	if i := strings.Index(s, "load average"); i >= 0 {
		return strings.TrimSpace(s[i:])
	}
	return strings.TrimSpace(s)
}
