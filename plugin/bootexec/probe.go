package bootexec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// probeGate checks that the Ready processes of a gate stage answer on
// their node (HTTP for the LCS, TCP for the root controller), each within
// what is left of the gate's bound (gctx). While it waits the progress
// says what for, where, and how long is left. A process on a kwok fake
// node is not probed (nothing runs there), with a note saying so.
func (b *booter) probeGate(ctx, gctx context.Context, st *StageTime, procs []podspec.Rendered) {
	t := time.Now()
	var checked, skipped []string
	proto := "TCP"
	for _, r := range procs {
		target, ok := procreate.TargetOf(r.Process.Name, r.Service, b.nodes[r.Process.Host])
		if !ok {
			continue // headless: nothing to reach from outside
		}
		proto = target.Proto()
		target.Fake = target.Fake && !b.cfg.ProbeFakeNodes
		b.prog.update("%s: ready, checking %s on %s", st.Name, proto, target.Addr)
		left := time.Second
		if dl, ok := gctx.Deadline(); ok {
			left = time.Until(dl)
		}
		err := procreate.Reach(gctx, target, left, b.cfg.retryInterval(), func(w procreate.Waiting) {
			b.prog.waiting("%s: %s", st.Name, w)
		})
		switch {
		case errors.Is(err, procreate.ErrFakeNode):
			skipped = append(skipped, target.Addr)
			continue
		case err != nil:
			st.Probe = time.Since(t)
			if ctx.Err() != nil {
				b.res.Interrupted = true
			}
			what := gateName(st.Name)
			b.unreachable(r.Process.Name, fmt.Sprintf("Ready, but does not answer %s on %s (node %s, NodePort %d): %v", proto, target.Addr, target.Node, target.NodePort, err))
			b.res.Blocked = fmt.Sprintf("the %s does not answer %s on %s", what, proto, target.Addr)
			b.prog.done("%s: ready but not answering %s on %s after %s (use --no-probe if node addresses are not reachable from here)", st.Name, proto, target.Addr, round(st.Probe))
			return
		}
		checked = append(checked, target.Addr)
	}
	st.Probe = time.Since(t)
	n := len(procs)
	line := fmt.Sprintf("%s: created %d/%d, ready %d/%d", st.Name, n, n, n, n)
	if len(checked) > 0 {
		line += fmt.Sprintf(", answers %s on %v", proto, checked)
	}
	if len(skipped) > 0 {
		line += fmt.Sprintf(", %s on %s not checked: %v", proto, strings.Join(skipped, ", "), procreate.ErrFakeNode)
	}
	b.prog.done("%s (%s)", line, round(st.Create+st.Ready+st.Probe))
}
