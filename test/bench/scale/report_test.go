package scale

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/stats"
)

type results struct {
	processes, nodes      int
	loadBefore, loadAfter string

	bare        time.Duration
	boot        proc.Usage
	floor, term deletion
	terminate   proc.Usage
	stages      []stageSpan

	ps, kubectl []proc.Usage
	status      []proc.Usage
	psw         proc.Usage
	latency     []time.Duration
	afterCommit []time.Duration
	informer    []time.Duration

	informerPerPod, fullPerPod float64

	// The control plane's CPU during each side's boot and deletion, and
	// while ps -w watched the changes.
	bootPlane, barePlane, termPlane, floorPlane, watchPlane planeCPU
	// How long the cluster took to settle after each side's boot and
	// after the ps -w changes, before the next step (settle).
	bootSettle, bareSettle, watchSettle settling
}

// table is the run's figures, as BENCHMARKS.md shows them.
func (r *results) table() string {
	var l []string
	add := func(f string, a ...any) { l = append(l, fmt.Sprintf(f, a...)) }
	add("scale: %d processes on %d kwok nodes; %s before, %s after", r.processes, r.nodes, r.loadBefore, r.loadAfter)
	add("| step | kubectl drunc | contender | ratio | goal |")
	add("| --- | --- | --- | --- | --- |")
	if r.bare > 0 {
		add("| boot to all Ready | %.1f s (%.1f s CPU, %d MiB) | (a+svc) %.1f s | **%.2f×** | ≤ 1.15× |",
			r.boot.Wall.Seconds(), r.boot.CPU.Seconds(), r.boot.MaxRSS/1024, r.bare.Seconds(), stats.Ratio(r.boot.Wall, r.bare))
		add("| cluster settled after it (the controller-manager under 10 %% of a core over %.0f s) | %s | %s | | |",
			settleWindow.Seconds(), r.bootSettle.WaitString(), r.bareSettle.WaitString())
	}
	ps, k := proc.MedianWall(r.ps), proc.MedianWall(r.kubectl)
	add("| list: `ps -A` vs `kubectl get pods -A -l creator.drunc.daq`, time | %.2f s | %.2f s | **%.2f×** | ≤ 0.5× |",
		ps.Wall.Seconds(), k.Wall.Seconds(), stats.Ratio(ps.Wall, k.Wall))
	add("| list: peak RSS | %d MiB | %d MiB | **%.2f×** | ≤ 0.75× |", ps.MaxRSS/1024, k.MaxRSS/1024, float64(ps.MaxRSS)/float64(max(k.MaxRSS, 1)))
	if len(r.status) > 0 {
		st := proc.MedianWall(r.status)
		add("| `status -n SESSION` (healthy, exit 0) | %.2f s (%.2f s CPU, %d MiB) | | | < 2 s at 10,000 (< 1 s at 400) |",
			st.Wall.Seconds(), st.CPU.Seconds(), st.MaxRSS/1024)
	}
	add("| `ps -w` change → line, p50 / p99 / max (%d changes at %d/s) | %.1f / **%.1f** / %.1f ms | | | p99 ≤ 100 ms |",
		len(r.latency), *rate, stats.MS(stats.Percentile(r.latency, 50)), stats.MS(stats.Percentile(r.latency, 99)), stats.MS(stats.Percentile(r.latency, 100)))
	add("| `ps -w` from the PATCH's response (committed) → line, p50 / p99 | %.1f / %.1f ms | bare informer from the send: %.1f / %.1f ms | | |",
		stats.MS(stats.Percentile(r.afterCommit, 50)), stats.MS(stats.Percentile(r.afterCommit, 99)), stats.MS(stats.Percentile(r.informer, 50)), stats.MS(stats.Percentile(r.informer, 99)))
	if r.floor.Wall > 0 {
		add("| terminate (until the namespace is gone) | %.1f s | floor %.1f s | **%.2f×** | ≤ 1.25× |",
			r.term.NamespaceGone.Seconds(), r.floor.NamespaceGone.Seconds(), stats.Ratio(r.term.NamespaceGone, r.floor.NamespaceGone))
		add("| … until every process is gone | %.1f s | floor %.1f s | %.2f× | |",
			r.term.ProcessesGone.Seconds(), r.floor.ProcessesGone.Seconds(), stats.Ratio(r.term.ProcessesGone, r.floor.ProcessesGone))
		if len(r.stages) > 0 {
			app := r.stages[0]
			add("| kill's %s stage (%d processes) | %.1f s | floor, all %d pods gone %.1f s | %.2f× | |",
				app.Name, app.Processes, app.Span.Seconds(), r.processes, r.floor.ProcessesGone.Seconds(), stats.Ratio(app.Span, r.floor.ProcessesGone))
		}
	} else {
		add("| terminate | %.1f s (processes gone %.1f s) | | | |", r.term.NamespaceGone.Seconds(), r.term.ProcessesGone.Seconds())
	}
	add("")
	add("terminate: %s; stages (first pod going → last gone): %s", r.terminate, spansLine(r.stages))
	var gaps []string
	for _, s := range r.stages[min(1, len(r.stages)):] {
		gaps = append(gaps, fmt.Sprintf("%.0f", stats.MS(s.Gap)))
	}
	add("hand-overs between stages (ms): %s; namespace after the last process: %.2f s",
		strings.Join(gaps, ", "), (r.term.NamespaceGone - r.term.ProcessesGone).Seconds())
	add("ps -A: %s; kubectl get: %s; ps -w: %s", ps, k, r.psw)
	add("per process: boot %.0f µs CPU, %.1f KiB peak RSS; ps -A %.0f µs CPU, %.1f KiB; terminate %.0f µs CPU",
		perProc(r.boot.CPU, r.processes), float64(r.boot.MaxRSS)/float64(r.processes), perProc(ps.CPU, r.processes),
		float64(ps.MaxRSS)/float64(r.processes), perProc(r.terminate.CPU, r.processes))
	add("control plane CPU during boot: %s", r.bootPlane)
	if r.bare > 0 {
		add("… during (a+svc): %s", r.barePlane)
	}
	add("… settling after boot: %s", r.bootSettle)
	if r.bare > 0 {
		add("… settling after (a+svc): %s", r.bareSettle)
	}
	add("… during the ps -w changes: %s", r.watchPlane)
	add("… settling after them: %s", r.watchSettle)
	add("… during terminate: %s", r.termPlane)
	if r.floor.Wall > 0 {
		add("… during the floor: %s", r.floorPlane)
	}
	add("informer memory per pod (live heap, in this process): %.0f B after Trim, %.0f B with Full (all but managedFields)", r.informerPerPod, r.fullPerPod)
	return strings.Join(l, "\n")
}

func perProc(d time.Duration, n int) float64 { return float64(d.Microseconds()) / float64(n) }

func (r *results) metrics(b *testing.B) {
	b.ReportMetric(r.boot.Wall.Seconds(), "s/boot")
	if r.bare > 0 {
		b.ReportMetric(stats.Ratio(r.boot.Wall, r.bare), "x/boot-per-a+svc")
		b.ReportMetric(stats.Ratio(r.term.NamespaceGone, r.floor.NamespaceGone), "x/terminate-per-floor")
	}
	b.ReportMetric(stats.MS(stats.Percentile(r.latency, 99)), "ms/ps-w-p99")
	b.ReportMetric(r.informerPerPod, "B/informer-pod")
}
