package lifecycle

import (
	"context"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// waitRestarted waits until the recreated processes are Ready (within
// ReadyTimeout; waitCtx ends early when one is deleted again), then, with
// Probe, until each answers on its node, every probe with a deadline of
// its own, all at once.
func waitRestarted(ctx, waitCtx context.Context, cfg Config, o RestartOptions, expect []types.NamespacedName, res *RestartResult) {
	want := map[types.NamespacedName]bool{}
	for _, k := range expect {
		want[k] = true
	}
	tctx, cancel := context.WithTimeout(waitCtx, o.ReadyTimeout)
	defer cancel()
	res.Wait, res.WaitErr = waitfor.Until(tctx, cfg.Cache, func(p *corev1.Pod) bool {
		return want[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}]
	}, waitfor.Condition{Kind: waitfor.Ready}, waitfor.Options{Expect: expect})
	if cause := context.Cause(waitCtx); res.WaitErr != nil && cause != nil && ctx.Err() == nil {
		res.WaitErr = cause
	}
	if res.WaitErr != nil || !o.Probe {
		return
	}
	var todo []*Recreated
	for i := range res.Recreated {
		if rc := &res.Recreated[i]; rc.Err == nil && rc.Pod != nil {
			todo = append(todo, rc)
		}
	}
	errs := make([]error, len(todo))
	parallel(len(todo), cfg.inFlight(), func(i int) {
		errs[i] = probeRecreated(waitCtx, cfg, todo[i], o)
	})
	res.WaitErr = errors.Join(errs...)
}

// probeProgressEvery is how often a probe that is still waiting says so.
const probeProgressEvery = 5 * time.Second
