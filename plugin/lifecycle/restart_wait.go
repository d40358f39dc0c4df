package lifecycle

import (
	"context"
	"errors"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// waitRestarted waits until the recreated processes are Ready (within
// ReadyTimeout; waitCtx ends early when one is deleted again), then, with
// Probe, until each answers on its node, every probe with a deadline of
// its own, all at once (procreate.Gate, as boot's gates; a gate passed
// already is not probed again).
func (r *recreation) waitRestarted(ctx context.Context, o RestartOptions, expect []types.NamespacedName, res *RestartResult) {
	want := map[types.NamespacedName]bool{}
	for _, k := range expect {
		want[k] = true
	}
	tctx, cancel := context.WithTimeout(r.waitCtx, o.ReadyTimeout)
	defer cancel()
	res.Wait, res.WaitErr = waitfor.Until(tctx, r.cfg.Cache, func(p *corev1.Pod) bool {
		return want[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}]
	}, waitfor.Condition{Kind: waitfor.Ready}, waitfor.Options{Expect: expect})
	if cause := context.Cause(r.waitCtx); res.WaitErr != nil && cause != nil && ctx.Err() == nil {
		res.WaitErr = cause
	}
	if res.WaitErr != nil || !o.Probe {
		return
	}
	var todo []procreate.Member
	for _, rc := range res.Recreated {
		if rc.Err == nil && rc.Pod != nil && !rc.checked && !rc.gateFailed {
			todo = append(todo, procreate.Member{Namespace: rc.Session, Name: rc.Name, Service: rc.Service})
		}
	}
	gate := procreate.Gate{ProbeFakeNodes: o.ProbeFakeNodes, Interval: o.probeInterval(), ProbeTimeout: o.ReadyTimeout,
		Node: r.nodeOf, OnWaiting: waitingLines(r.cfg)}
	probes := gate.ProbeAll(r.waitCtx, todo)
	res.WaitErr = errors.Join(r.probed(probes)...)
	r.answered(probes)
}

// answered says which processes answered their probe: a check that passed
// is news too (a port something else holds would pass it).
func (r *recreation) answered(probes []procreate.Probed) {
	for _, p := range probes {
		if !p.Skipped && p.NodeErr == nil && p.Err == nil {
			progressf(r.cfg.Progress, "%s/%s answers %s on %s", p.Member.Namespace, p.Member.Name, p.Target.Proto(), p.Target.Addr)
		}
	}
}
