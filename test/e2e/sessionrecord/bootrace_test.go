package sessionrecord

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestBootRacesKillRestartFlush: 20 kill, restart, flush and boot runs,
// overlapping, from two clients (the admin, and an operator holding only
// the shipped rules in the session) on one session of 12 processes booted
// from a file; each boot is a boot of that same file, which completes the
// session. Before the race app-004 is killed (only the boots create it
// again: exactly one create of it succeeds) and app-005 has exited (flush
// removes it, boots create it again). Afterwards the record and the
// cluster agree (recordDisagreements).
func TestBootRacesKillRestartFlush(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, file := bootRaceSession(t, tc, 10)
	grantShippedRules(t, tc, ns, testcluster.UserOperator)
	grantNodeRules(t, tc, testcluster.UserOperator)
	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "^app-004$", "--force", "--timeout=60s"); code != 0 {
		t.Fatalf("kill app-004: exit %d\n%s", code, stderr)
	}
	tc.ExitPod(t, ns, "app-005", 3)

	// The boots create one process at a time and report them all at the
	// end, so kills meet pods whose boot is not recorded yet.
	verbs := [][]string{
		{"kill", "-n", ns, "^app-00[0-35-9]$", "--force", "--timeout=60s"},
		{"boot", "-f", file, "--no-probe", "--timeout=90s", "--max-in-flight=1"},
		{"restart", "-n", ns, "^app-00[1-3]$", "--force", "--wait=false"},
		{"flush", "-n", ns, "^app-", "--timeout=60s"},
	}
	users := []string{"", testcluster.UserOperator}
	runs := make([]opRun, 20)
	_ = testcluster.PluginBinary(t) // built before the race, not during it
	mark := tc.AuditMark(t)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range runs {
		// Each verb runs from both clients.
		runs[i] = opRun{user: users[(i+i/len(verbs))%2], args: verbs[i%len(verbs)]}
		wg.Go(func() {
			r := &runs[i]
			<-start
			// Staggered starts (all 20 overlap: a run takes a second or
			// more), so that each verb also acts on what the others just
			// did, not only on the session as it was before the race.
			time.Sleep(time.Duration(i) * stagger)
			if r.user == "" {
				r.stdout, r.stderr, r.code = tc.Plugin(t, r.args...)
			} else {
				r.stdout, r.stderr, r.code = tc.PluginAs(t, r.user, r.args...)
			}
		})
	}
	close(start)
	wg.Wait()
	checkRuns(t, runs)
	// Only the boots create app-004 again: every one that found it
	// missing tried; exactly one create may succeed.
	var creates []string
	for _, w := range tc.AuditWrites(t, mark, ns) {
		if strings.HasPrefix(w, "create pods "+ns+"/app-004 ") {
			creates = append(creates, w)
		}
	}
	if len(creates) == 0 || strings.Count(strings.Join(creates, "\n"), "(HTTP 201)") != 1 {
		t.Errorf("creates of app-004 during the race: %q; want exactly one that succeeded", creates)
	}
	settled(t, tc, ns)
	for _, p := range recordDisagreements(t, tc, ns, 12) {
		t.Errorf("record and cluster disagree: %s", p)
	}
}

// stagger is the pause between the starts of two runs of the race.
const stagger = 150 * time.Millisecond

// opRun is one plugin run of the race and how it ended.
type opRun struct {
	user           string
	args           []string
	stdout, stderr string
	code           int
}

// checkRuns logs every run and fails on a crash.
func checkRuns(t *testing.T, runs []opRun) {
	t.Helper()
	for _, r := range runs {
		who := "admin"
		if r.user != "" {
			who = r.user
		}
		t.Logf("%s: kubectl drunc %s → exit %d\n%s%s", who, strings.Join(r.args, " "), r.code, r.stdout, r.stderr)
		if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
			t.Errorf("kubectl drunc %s crashed", strings.Join(r.args, " "))
		}
	}
}

// bootRaceSession boots a connection server, a root controller and apps
// applications app-000... on a node of its own; it returns the session and
// its boot file.
func bootRaceSession(t *testing.T, tc *testcluster.Cluster, apps int) (ns, file string) {
	t.Helper()
	host := testcluster.NodeNames("rec-race", 1)[0]
	tc.Nodes(t, host)
	ns = tc.UniqueName("rec-race")
	e2eproc.BootFreshPorts(t, tc, ns, func() string {
		procs := []e2eproc.BootProc{e2eproc.ConnectionServer(host, tc.NodePort(t)), e2eproc.RootController(host, "-s", ns)}
		for i := range apps {
			procs = append(procs, e2eproc.App(fmt.Sprintf("app-%03d", i), host, fmt.Sprintf("0.%d", i)))
		}
		file = e2eproc.WriteBootFile(t, ns, procs...)
		return file
	}, "--timeout=120s")
	return ns, file
}
