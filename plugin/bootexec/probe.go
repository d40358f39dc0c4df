package bootexec

import (
	"fmt"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// probed reports the probes of a gate stage whose processes are all
// Ready: a process that does not answer on its node (HTTP for the LCS, TCP
// for the root controller) is not up for drunc, and blocks the run. A
// process on a kwok fake node was not probed (nothing runs there): the
// line says so.
func (b *booter) probed(st *StageTime, n int, probes []procreate.Probed) {
	var checked, skipped []string
	proto := "TCP"
	var failed *procreate.Probed
	for i := range probes {
		p := &probes[i]
		proto = p.Target.Proto()
		switch {
		case p.Skipped:
			skipped = append(skipped, p.Target.Addr)
		case p.NodeErr != nil:
			b.unreachable(p.Member.Name, fmt.Sprintf("Ready, but its node cannot be read to check it answers: %v", p.NodeErr))
		case p.Err != nil:
			t := p.Target
			b.unreachable(p.Member.Name, fmt.Sprintf("Ready, but does not answer %s on %s (node %s, NodePort %d): %v", t.Proto(), t.Addr, t.Node, t.NodePort, p.Err))
		default:
			checked = append(checked, p.Target.Addr)
			continue
		}
		if failed == nil && p.Failed() {
			failed = p
		}
	}
	if failed != nil {
		t := failed.Target
		b.res.Blocked = fmt.Sprintf("the %s does not answer %s on %s", gateName(st.Name), t.Proto(), t.Addr)
		b.prog.done("%s: ready but not answering %s on %s after %s (use --no-probe if node addresses are not reachable from here)", st.Name, t.Proto(), t.Addr, round(st.Probe))
		return
	}
	line := fmt.Sprintf("%s: created %d/%d, ready %d/%d", st.Name, n, n, n, n)
	if len(checked) > 0 {
		line += fmt.Sprintf(", answers %s on %v", proto, checked)
	}
	if len(skipped) > 0 {
		line += fmt.Sprintf(", %s on %s not checked: %v", proto, strings.Join(skipped, ", "), procreate.ErrFakeNode)
	}
	b.prog.done("%s (%s)", line, round(st.Create+st.Ready+st.Probe))
}
