package scale

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

// runBoot is `kubectl drunc boot -f FILE --no-probe` as a user runs it,
// until every process is Ready (its own wait); the referee checks.
func runBoot(b *testing.B, plugin string, tc *testcluster.Cluster, file, ns string, o *observer) proc.Usage {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout+time.Minute)
	defer cancel()
	b.Cleanup(func() { deleteIfLeft(tc, ns) })
	args := append([]string{"--kubeconfig=" + tc.Kubeconfig, "boot", "-f", file, "--no-probe",
		"--timeout", phaseTimeout.String()}, strings.Fields(*bootArgs)...)
	start := time.Now()
	u := command(b, ctx, "boot", plugin, nil, args...)
	if !o.until(ctx, func() bool { return len(o.ready) >= *processes }) {
		b.Fatalf("boot: the referee saw %d of %d pods Ready", len(o.ready), *processes)
	}
	// When the referee saw the last pod Ready, against boot's own exit: the
	// gap is boot's own wait seeing it later (or its exit).
	var lastReady time.Time
	o.mu.Lock()
	for _, at := range o.ready {
		if at.After(lastReady) {
			lastReady = at
		}
	}
	o.mu.Unlock()
	progress("boot: %s; the referee saw every pod Ready after %.2f s\n%s", u, lastReady.Sub(start).Seconds(), proc.LastLines(u.Stderr, 12))
	return u
}

func readyNames(o *observer) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	names := make([]string, 0, len(o.ready))
	for n := range o.ready {
		names = append(names, n)
	}
	return names
}

// stageSpan is one kill stage as the referee saw it: first pod going to
// last pod gone, and the hand-over since the previous stage's last pod.
type stageSpan struct {
	Name      string
	Processes int
	Span, Gap time.Duration
}

// runTerminate is `kubectl drunc terminate -n NS` (which waits for the
// namespace to be gone), with the referee's view of every process and of
// the namespace. --timeout bounds each stage's wait: the default (the grace
// period plus 15 s) is drunc's per-process bound, not sized for thousands
// of deletions queued behind one API server.
func runTerminate(b *testing.B, plugin string, tc *testcluster.Cluster, ns string, o *observer) (proc.Usage, deletion, []stageSpan) {
	pods := podNames(b, tc, ns)
	stages := lifecycle.KillStages(pods, session.Keys(""))
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout+time.Minute)
	defer cancel()
	start := time.Now()
	u := command(b, ctx, "terminate", plugin, nil, "--kubeconfig="+tc.Kubeconfig, "terminate", "-n", ns, "-o", "name",
		"--timeout", phaseTimeout.String())
	if !o.until(ctx, func() bool { return !o.nsGone.IsZero() && len(o.gone) >= len(pods) }) {
		b.Fatalf("terminate: %d of %d pods gone, namespace gone: %v", len(o.gone), len(pods), !o.nsGone.IsZero())
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	var all []string
	var spans []stageSpan
	var prevLast time.Time
	for _, st := range stages {
		var names []string
		for _, p := range st.Pods {
			names = append(names, p.Name)
		}
		all = append(all, names...)
		first, last := firstOf(o.going, names), lastOf(o.gone, names)
		s := stageSpan{Name: st.Name, Processes: len(names), Span: last.Sub(first)}
		if !prevLast.IsZero() {
			s.Gap = first.Sub(prevLast)
		}
		prevLast = last
		spans = append(spans, s)
	}
	d := deletion{Wall: u.Wall, ProcessesGone: lastOf(o.gone, all).Sub(start), NamespaceGone: o.nsGone.Sub(start)}
	progress("terminate: %s; processes gone %.2f s, namespace gone %.2f s\n%s", u, d.ProcessesGone.Seconds(), d.NamespaceGone.Seconds(), proc.LastLines(u.Stderr, 12))
	return u, d, spans
}

func (s stageSpan) String() string {
	return fmt.Sprintf("%s (%d) %.2f s", s.Name, s.Processes, s.Span.Seconds())
}

func spansLine(spans []stageSpan) string {
	var parts []string
	for _, s := range spans {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "; ")
}
