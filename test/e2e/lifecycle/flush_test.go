package lifecycle

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestFlushRemovesExitedOnly: two processes exit (3 and 0); flush removes
// them and their services, prints their exit codes, and leaves the running
// ones alone.
func TestFlushRemovesExitedOnly(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	tc.ExitPod(t, ns, "df-01", 3)
	tc.ExitPod(t, ns, "hsi-01", 0)

	stdout, stderr, code := tc.Plugin(t, "flush", "-n", ns)
	if code != 0 {
		t.Fatalf("flush exited %d:\n%s", code, stderr)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	if len(rows) != 2 {
		t.Fatalf("want df-01 and hsi-01 in the table, got:\n%s", stdout)
	}
	// NAME ROLE HOST STATUS EXIT AGE
	if r := rows["df-01"]; r == nil || r[3] != "Flushed" || r[4] != "3" {
		t.Errorf("df-01 row %v, want Flushed with exit 3", r)
	}
	if r := rows["hsi-01"]; r == nil || r[4] != "0" {
		t.Errorf("hsi-01 row %v, want exit 0", r)
	}
	left := pods(t, tc, ns)
	for _, p := range threeLevels {
		flushed := p.name == "df-01" || p.name == "hsi-01"
		if _, there := left[p.name]; there == flushed {
			t.Errorf("pod %s present=%v after flush", p.name, there)
		}
	}
	waitServicesGone(t, tc, ns, "df-01", "hsi-01")
	svcs := services(t, tc, ns)
	for _, p := range threeLevels {
		if _, there := svcs[p.name]; !there && p.name != "df-01" && p.name != "hsi-01" {
			t.Errorf("service %s of a running process was deleted", p.name)
		}
	}

	// Nothing exited any more: nothing to do, exit 0.
	stdout, stderr, code = tc.Plugin(t, "flush", "-n", ns)
	if code != 0 || stdout != "" || !strings.Contains(stderr, "nothing to flush") {
		t.Errorf("second flush: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
