package lifecycle

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestKillAndRestartAtOnce: a kill and a restart of the same process run
// together (three processes, three interleavings). Whatever the order, the
// end state is consistent: either the process runs again (same uuid, a new
// pod, its service owned by that pod, restart succeeded) or it is gone with
// its service; a kill never fails on the pod the restart created (UID
// preconditions), it only finds nothing when it looked between the two.
func TestKillAndRestartAtOnce(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	before := pods(t, tc, ns)

	for round, name := range []string{"df-01", "hsi-01", "tp-01"} {
		var wg sync.WaitGroup
		var killCode, restartCode int
		var killErr, restartErr string
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, restartErr, restartCode = tc.Plugin(t, "restart", "-n", ns, "^"+name+"$", "--timeout=120s")
		}()
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(round*40) * time.Millisecond) // vary the interleaving
			_, killErr, killCode = tc.Plugin(t, "kill", "-n", ns, "^"+name+"$")
		}()
		wg.Wait()
		if killCode != 0 && !strings.Contains(killErr, "no process in session") {
			t.Errorf("%s: kill failed (exit %d):\n%s", name, killCode, killErr)
		}
		after := pods(t, tc, ns)[name]
		if after == nil {
			waitServicesGone(t, tc, ns, name)
			// Either the kill deleted the new pod while the restart waited
			// (the restart fails, naming it), or it ran after the restart
			// had finished: then the kill must have killed something.
			if restartCode == 0 && killCode != 0 {
				t.Errorf("%s: gone though the restart succeeded and the kill did nothing:\n%s\n%s", name, restartErr, killErr)
			}
			// (A restart that looked after the kill finds nothing.)
			if restartCode != 0 && !strings.Contains(restartErr, "deleted") && !strings.Contains(restartErr, "no process in session") {
				t.Errorf("%s: the restart failure does not say the process was deleted:\n%s", name, restartErr)
			}
			t.Logf("%s: killed last (restart exit %d)", name, restartCode)
			continue
		}
		if after.UID == before[name].UID {
			t.Errorf("%s: still the old pod: neither kill nor restart acted", name)
		}
		if after.Labels[keys.UUID()] != before[name].Labels[keys.UUID()] {
			t.Errorf("%s: uuid changed", name)
		}
		if svc := services(t, tc, ns)[name]; svc == nil || !ownedBy(svc, after) {
			t.Errorf("%s: runs without its own service: %+v", name, svc)
		}
		if restartCode != 0 {
			t.Errorf("%s: restart exited %d though its pod runs:\n%s", name, restartCode, restartErr)
		}
		t.Logf("%s: restarted last (kill exit %d)", name, killCode)
	}
}
