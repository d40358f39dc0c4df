package lifecycle

import (
	"strings"
	"sync"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestRestartSameKilledProcessTwiceAtOnce: two terminals restart the same
// killed process at the same moment. Both find it without a pod and create
// it from the session record; the API holds both creates (an admission
// webhook of the test) until both have arrived, so they truly race. One
// pod is created; the restart that lost says the process was restarted by
// another client, waits for it, and exits 0 like the other.
func TestRestartSameKilledProcessTwiceAtOnce(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, []proc{
		{"local-connection-server", "1", "gunicorn", 0},
		{"root-controller", "0", "drunc-controller", 1},
		{"df-01", "0.1", "daq_application", 2},
	})
	before := pods(t, tc, ns)["df-01"]
	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "^df-01$"); code != 0 {
		t.Fatalf("kill exited %d:\n%s", code, stderr)
	}
	hold := holdCreates(t, tc, ns, "df-01", 2)
	w := watchPods(t, tc, ns)

	var wg sync.WaitGroup
	stderr, codes := make([]string, 2), make([]int, 2)
	for i := range 2 {
		wg.Go(func() {
			_, stderr[i], codes[i] = tc.Plugin(t, "restart", "-n", ns, "^df-01$", "--timeout=90s")
		})
	}
	wg.Wait()
	for i := range 2 {
		t.Logf("restart %d exited %d:\n%s", i+1, codes[i], stderr[i])
		if codes[i] != 0 {
			t.Errorf("restart %d exited %d", i+1, codes[i])
		}
	}
	if n := hold.Arrived(); n != 2 {
		t.Fatalf("%d creates of df-01 reached the API, want 2 (one per restart):\n%s\n%s", n, stderr[0], stderr[1])
	}
	if n := w.added("df-01"); n != 1 {
		t.Errorf("%d pods of df-01 created, want exactly 1", n)
	}
	byOther := 0
	for _, s := range stderr {
		byOther += strings.Count(s, ns+"/df-01 restarted by another client")
	}
	if byOther != 1 {
		t.Errorf("%d restarts say df-01 was restarted by another client, want 1:\n%s\n%s", byOther, stderr[0], stderr[1])
	}
	after := pods(t, tc, ns)["df-01"]
	switch {
	case after == nil:
		t.Fatal("df-01 not running after both restarts")
	case after.Labels[keys.UUID()] != before.Labels[keys.UUID()]:
		t.Errorf("df-01 came back with uuid %s, want %s", after.Labels[keys.UUID()], before.Labels[keys.UUID()])
	case !podReady(after):
		t.Errorf("df-01 not Ready though both restarts waited for it")
	}
	if svc := services(t, tc, ns)["df-01"]; svc == nil || !ownedBy(svc, after) {
		t.Errorf("df-01's service is not owned by its new pod: %+v", svc)
	}
}
