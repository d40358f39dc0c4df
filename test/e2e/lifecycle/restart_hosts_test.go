package lifecycle

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestRestartRefusesACordonedHost: restart checks the hosts before it
// kills, as boot checks them before it creates: ru-01's host cordoned,
// restarting it fails at once naming the host, the fix and the process,
// and ru-01 keeps running in the same pod; uncordoned, it restarts.
func TestRestartRefusesACordonedHost(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, _ := recordSession(t, tc, small)
	before := pods(t, tc, ns)["ru-01"]
	host := before.Spec.NodeName
	tc.CordonNode(t, host)
	t.Cleanup(func() { tc.UncordonNode(t, host) })

	_, errOut, code := tc.Plugin(t, "restart", "-n", ns, "^ru-01$", "--timeout=60s")
	want := host + ": cordoned (unschedulable) (processes: " + ns + "/ru-01); kubectl uncordon " + host
	if code != 1 || !strings.Contains(errOut, "nothing was killed") || !strings.Contains(errOut, want) {
		t.Errorf("restart on a cordoned host: exit %d, want 1 naming %q:\n%s", code, want, errOut)
	}
	if after := pods(t, tc, ns)["ru-01"]; after == nil || after.UID != before.UID || after.DeletionTimestamp != nil {
		t.Fatalf("ru-01 was touched by the refused restart: %v", after)
	}

	tc.UncordonNode(t, host)
	if _, errOut, code := tc.Plugin(t, "restart", "-n", ns, "^ru-01$", "--timeout=60s", "--no-probe"); code != 0 {
		t.Errorf("restart once uncordoned: exit %d\n%s", code, errOut)
	}
}
