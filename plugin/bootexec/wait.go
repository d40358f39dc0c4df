package bootexec

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// gate passes the stage as a gate (procreate.Gate, as restart does):
// its processes Ready, then answering on their node, within
// pod_ready_timeout + checking.service_startup_timeout. On failure the run
// is blocked: later stages need this one.
func (b *booter) gate(ctx context.Context, st *StageTime, procs []podspec.Rendered) {
	gctx, cancel := b.withDeadline(ctx, b.cfg.gateTimeout())
	defer cancel()
	members := make([]procreate.Member, len(procs))
	hosts := make(map[string]string, len(procs))
	for i, r := range procs {
		members[i] = procreate.Member{Namespace: b.ns, Name: r.Process.Name, Service: r.Service}
		hosts[r.Process.Name] = r.Process.Host
	}
	g := procreate.Gate{
		Cache: b.cache, Probe: b.cfg.Probe, ProbeFakeNodes: b.cfg.ProbeFakeNodes, Interval: b.cfg.retryInterval(),
		// Boot read every host's node before it created anything.
		Node: func(_ context.Context, m procreate.Member) (*corev1.Node, error) {
			return b.nodes[hosts[m.Name]], nil
		},
		OnReady: func(p waitfor.Progress) {
			b.prog.update("%s: created %d/%d, ready %d/%d", st.Name, len(procs), len(procs), p.Met, p.Total)
		},
		OnProbe: func(t procreate.Target) {
			b.prog.update("%s: ready, checking %s on %s", st.Name, t.Proto(), t.Addr)
		},
		OnWaiting: func(_ procreate.Member, w procreate.Waiting) { b.prog.waiting("%s: %s", st.Name, w) },
	}
	res := g.Pass(gctx, members)
	b.apply(res.Wait)
	st.Ready, st.Probe = res.Ready, res.Probe
	if ctx.Err() != nil && !res.Passed() {
		b.res.Interrupted = true
	}
	switch {
	case res.NotReady != nil:
		b.res.Blocked = fmt.Sprintf("the %s did not become Ready", gateName(st.Name))
		b.prog.done("%s: created %d/%d, not Ready after %s", st.Name, len(procs), len(procs), round(st.Ready))
	case !b.cfg.Probe:
		b.prog.done("%s: created %d/%d, ready %d/%d (%s; reachability not checked: --no-probe)", st.Name, len(procs), len(procs), len(procs), len(procs), round(st.Create+st.Ready))
	default:
		b.probed(st, len(procs), res.Probed)
	}
}

// waitAll waits until every created process is Ready, within --timeout,
// else pod_ready_timeout after the last create. A process that dies is
// reported and the wait goes on for the others.
func (b *booter) waitAll(ctx context.Context) {
	bound := time.Duration(b.cfg.Settings.PodReadyTimeout) * time.Second
	if b.cfg.Timeout > 0 {
		bound = time.Until(b.deadline)
	}
	wctx, cancel := b.withDeadline(ctx, bound)
	defer cancel()
	t := time.Now()
	defer func() { b.res.Wait = time.Since(t) }()
	var pending []string
	for _, p := range b.res.Processes {
		if p.Outcome == Created {
			pending = append(pending, p.Name)
		}
	}
	total := len(pending) + b.res.Count(Ready)
	show := func(p waitfor.Progress) {
		b.prog.update("ready %d/%d", total-p.Total+p.Met, total)
	}
	// Each round either ends the wait or drops at least one dead process.
	for len(pending) > 0 {
		res, err := b.waitReady(wctx, pending, show)
		var werr *waitfor.Error
		if err == nil || !errors.As(err, &werr) || werr.Reason != waitfor.Died {
			if ctx.Err() != nil {
				b.res.Interrupted = true
			}
			break
		}
		pending = pending[:0]
		for _, u := range res.Unmet {
			if !u.Hopeless {
				pending = append(pending, u.Name)
			}
		}
	}
	b.explainAgain()
	ready := b.res.Count(Ready)
	if ready == total {
		b.prog.done("ready %d/%d (%s)", ready, total, round(time.Since(t)))
	} else {
		b.prog.done("ready %d/%d after %s", ready, total, round(time.Since(t)))
	}
}

// waitReady waits on the shared cache until these processes are Ready and
// records what it saw in the Result.
func (b *booter) waitReady(ctx context.Context, names []string, onProgress func(waitfor.Progress)) (waitfor.Result, error) {
	want := make(map[string]bool, len(names))
	keys := make([]types.NamespacedName, len(names))
	for i, n := range names {
		want[n] = true
		keys[i] = types.NamespacedName{Namespace: b.ns, Name: n}
	}
	res, err := waitfor.Until(ctx, b.cache, func(p *corev1.Pod) bool { return want[p.Name] },
		waitfor.Condition{Kind: waitfor.Ready}, waitfor.Options{Expect: keys, OnProgress: onProgress})
	b.apply(res)
	return res, err
}

// apply records a wait's result.
func (b *booter) apply(res waitfor.Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, v := range res.Met {
		if i, ok := b.index[v.Name]; ok {
			p := &b.res.Processes[i]
			p.Outcome, p.Status, p.Reason = Ready, v.Status, ""
		}
	}
	for _, u := range res.Unmet {
		i, ok := b.index[u.Name]
		if !ok {
			continue
		}
		p := &b.res.Processes[i]
		if u.View == nil {
			p.Status, p.Reason = "not seen", "created, but not seen in the cluster since"
			continue
		}
		b.unmet[u.Name] = u
		b.explain(p, u)
	}
}

// explain sets a process's status and reason from the wait's view of it
// and its pod's last event now.
func (b *booter) explain(p *ProcessResult, u waitfor.Unmet) {
	if ev := b.cache.LastEvent(u.View.UID); ev != nil {
		u.Event = ev.Reason + ": " + ev.Message
	}
	p.Status, p.Reason = u.View.Status, u.Why()
}

// explainAgain explains once more the processes that did not come up: one
// that died early was explained when its pod's status came, and the event
// that says why often comes just after it.
func (b *booter) explainAgain() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for name, u := range b.unmet {
		if i, ok := b.index[name]; ok && b.res.Processes[i].Outcome != Ready {
			b.explain(&b.res.Processes[i], u)
		}
	}
}

// refresh reads the status of created processes that were not waited for.
func (b *booter) refresh() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i := range b.res.Processes {
		p := &b.res.Processes[i]
		if p.Outcome != Created || b.cache == nil {
			continue
		}
		if pod := b.cache.Get(b.ns, p.Name); pod != nil {
			v := process.FromPod(pod, b.cache.Keys())
			p.Status = v.Status
			if v.State == process.Running && v.Ready {
				p.Outcome, p.Reason = Ready, ""
			}
		}
	}
}

// unreachable records a Ready process that failed its probe: for drunc it
// is not up.
func (b *booter) unreachable(name, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := &b.res.Processes[b.index[name]]
	p.Outcome, p.Reason = Created, why
}
