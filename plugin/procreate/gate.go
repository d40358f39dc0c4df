package procreate

import (
	"context"
	"errors"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// Member is one process of a gate.
type Member struct {
	Namespace, Name string
	// Service is the one it was created with (nil: none, nothing to probe).
	Service *corev1.Service
}

// Gate is a boot stage every later process of its session depends on: the
// local connection server (every process resolves "localhost" to it) or
// the root controller. Boot and restart pass a gate the same way (Pass):
// its processes Ready, on the shared informer cache; then, with Probe,
// each one behind a NodePort answering on its node (Reach: HTTP for the
// LCS, TCP for the root controller). A process on a kwok fake node is not
// probed unless ProbeFakeNodes: nothing runs there to answer.
type Gate struct {
	// Cache is the started shared informer of the members' sessions.
	Cache          *informers.Cache
	Probe          bool
	ProbeFakeNodes bool
	// Interval is the pause between two probe attempts (0: a second).
	Interval time.Duration
	// ReadyTimeout bounds the Ready wait (0: ctx alone); ProbeTimeout
	// bounds each member's probe from its start (0: what is left of ctx).
	ReadyTimeout, ProbeTimeout time.Duration
	// Node returns the node a Ready member runs on (nil: nothing to probe).
	Node func(ctx context.Context, m Member) (*corev1.Node, error)
	// OnReady hears the Ready count change, OnProbe a probe start (not on
	// a skipped fake node), OnWaiting each failed probe attempt. Probes run
	// at once: OnProbe and OnWaiting may be called concurrently.
	OnReady   func(waitfor.Progress)
	OnProbe   func(Target)
	OnWaiting func(Member, Waiting)
}

// GateResult is how a gate went.
type GateResult struct {
	// Wait is the Ready wait's result; NotReady its error (nil: all Ready).
	Wait     waitfor.Result
	NotReady error
	// Probed are the members behind a NodePort, in member order (none when
	// not Probe or not all Ready).
	Probed []Probed
	// Ready and Probe are the time each step took.
	Ready, Probe time.Duration
}

// Passed tells whether every member is Ready and every probed one answers.
func (r *GateResult) Passed() bool {
	if r.NotReady != nil {
		return false
	}
	for _, p := range r.Probed {
		if p.Failed() {
			return false
		}
	}
	return true
}

// Probed is one member's probe.
type Probed struct {
	Member Member
	// Target is what was probed (zero when NodeErr is set).
	Target Target
	// Skipped: its node is a kwok fake node, so it was not probed.
	Skipped bool
	// NodeErr: its node could not be read. Err: it did not answer within
	// its bound (the last attempt's error wrapped).
	NodeErr, Err error
}

// Failed tells whether the probe did not pass.
func (p *Probed) Failed() bool { return p.NodeErr != nil || p.Err != nil }

// Pass waits until the members are Ready, then (Probe) until each behind a
// NodePort answers on its node.
func (g Gate) Pass(ctx context.Context, members []Member) GateResult {
	var r GateResult
	t := time.Now()
	wctx, cancel := ctx, context.CancelFunc(func() {})
	if g.ReadyTimeout > 0 {
		wctx, cancel = context.WithTimeout(ctx, g.ReadyTimeout)
	}
	want := make(map[types.NamespacedName]bool, len(members))
	keys := make([]types.NamespacedName, len(members))
	for i, m := range members {
		keys[i] = types.NamespacedName{Namespace: m.Namespace, Name: m.Name}
		want[keys[i]] = true
	}
	r.Wait, r.NotReady = waitfor.Until(wctx, g.Cache, func(p *corev1.Pod) bool {
		return want[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}]
	}, waitfor.Condition{Kind: waitfor.Ready}, waitfor.Options{Expect: keys, OnProgress: g.OnReady})
	cancel()
	r.Ready = time.Since(t)
	if r.NotReady != nil || !g.Probe {
		return r
	}
	t = time.Now()
	r.Probed = g.ProbeAll(ctx, members)
	r.Probe = time.Since(t)
	return r
}

// ProbeAll probes, all at once, the members behind a NodePort (each within
// its own bound) and returns their probes in member order. Headless
// members, and those whose node is unknown, have nothing to reach.
func (g Gate) ProbeAll(ctx context.Context, members []Member) []Probed {
	probes := make([]*Probed, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		if m.Service == nil || podspec.NodePort(m.Service) == 0 {
			continue
		}
		wg.Go(func() { probes[i] = g.probe(ctx, m) })
	}
	wg.Wait()
	var out []Probed
	for _, p := range probes {
		if p != nil {
			out = append(out, *p)
		}
	}
	return out
}

func (g Gate) probe(ctx context.Context, m Member) *Probed {
	p := &Probed{Member: m}
	var node *corev1.Node
	if g.Node != nil {
		if node, p.NodeErr = g.Node(ctx, m); p.NodeErr != nil {
			return p
		}
	}
	target, ok := TargetOf(m.Name, m.Service, node)
	if !ok {
		return nil
	}
	target.Fake = target.Fake && !g.ProbeFakeNodes
	p.Target = target
	if g.OnProbe != nil && !target.Fake {
		g.OnProbe(target)
	}
	var report func(Waiting)
	if g.OnWaiting != nil {
		report = func(w Waiting) { g.OnWaiting(m, w) }
	}
	err := Reach(ctx, target, g.probeTimeout(ctx), g.interval(), report)
	if errors.Is(err, ErrFakeNode) {
		p.Skipped = true
		return p
	}
	p.Err = err
	return p
}

func (g Gate) interval() time.Duration {
	if g.Interval > 0 {
		return g.Interval
	}
	return time.Second
}

// probeTimeout is ProbeTimeout, else what is left of ctx (a minute when
// ctx has no deadline).
func (g Gate) probeTimeout(ctx context.Context) time.Duration {
	if g.ProbeTimeout > 0 {
		return g.ProbeTimeout
	}
	if dl, ok := ctx.Deadline(); ok {
		return time.Until(dl)
	}
	return time.Minute
}
