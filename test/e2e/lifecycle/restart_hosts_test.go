package lifecycle

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestRestartRefusesABadHost: restart checks the hosts before it kills, as
// boot checks them before it creates: ru-01's host cordoned, or tainted
// NoSchedule, restarting it fails at once naming the host, the problem,
// the fix and the process, and ru-01 keeps running in the same pod; once
// the host is fixed, it restarts.
func TestRestartRefusesABadHost(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	taint := corev1.Taint{Key: "drunc.test/maintenance", Value: "disk", Effect: corev1.TaintEffectNoSchedule}
	for _, c := range []struct {
		name        string
		spoil, mend func(host string)
		problem     string // of ns, host
	}{
		{"cordoned", func(h string) { tc.CordonNode(t, h) }, func(h string) { tc.UncordonNode(t, h) },
			"cordoned (unschedulable) (processes: %s/ru-01); kubectl uncordon %s"},
		{"tainted", func(h string) { tc.TaintNode(t, h, taint) }, func(h string) { tc.UntaintNode(t, h, taint.Key) },
			"tainted drunc.test/maintenance=disk:NoSchedule (processes: %s/ru-01); DAQ pods tolerate no taint: kubectl taint nodes %s drunc.test/maintenance=disk:NoSchedule-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ns, _ := recordSession(t, tc, small)
			before := pods(t, tc, ns)["ru-01"]
			host := before.Spec.NodeName
			c.spoil(host)
			t.Cleanup(func() { c.mend(host) })

			_, errOut, code := tc.Plugin(t, "restart", "-n", ns, "^ru-01$", "--timeout=60s")
			want := host + ": " + fmt.Sprintf(c.problem, ns, host)
			if code != 1 || !strings.Contains(errOut, "nothing was killed") || !strings.Contains(errOut, want) {
				t.Errorf("restart on a %s host: exit %d, want 1 naming %q:\n%s", c.name, code, want, errOut)
			}
			if after := pods(t, tc, ns)["ru-01"]; after == nil || after.UID != before.UID || after.DeletionTimestamp != nil {
				t.Fatalf("ru-01 (pod %s) was touched by the refused restart: %s", before.UID, podState(after))
			}

			c.mend(host)
			if _, errOut, code := tc.Plugin(t, "restart", "-n", ns, "^ru-01$", "--timeout=60s", "--no-probe"); code != 0 {
				t.Errorf("restart once the host is fixed: exit %d\n%s", code, errOut)
			}
		})
	}
}

// podState says which pod a test found, briefly: nil, or its UID and
// whether it is being deleted.
func podState(p *corev1.Pod) string {
	if p == nil {
		return "no pod"
	}
	return fmt.Sprintf("pod %s, deleting: %t", p.UID, p.DeletionTimestamp != nil)
}
