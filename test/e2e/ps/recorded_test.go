package ps

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// bootRecorded boots a session with `kubectl drunc boot` (so it has a
// session record): a root controller and the applications given, on one
// host, no LCS (its NodePort is cluster-wide); it returns the session
// once every process is Ready. The namespace goes with the test.
func bootRecorded(t *testing.T, tc *testcluster.Cluster, prefix, host string, apps ...string) string {
	t.Helper()
	name := tc.UniqueName(prefix)
	tc.DeleteNamespaceLater(t, name)
	procs := []e2eproc.BootProc{e2eproc.RootController(host, "-s", name)}
	for i, app := range apps {
		procs = append(procs, e2eproc.App(app, host, fmt.Sprintf("0.%d", i)))
	}
	file := e2eproc.WriteBootFile(t, name, procs...)
	if _, errOut, code := tc.Plugin(t, "boot", "-f", file, "-n", name, "--no-probe", "--timeout=90s"); code != 0 {
		t.Fatalf("boot %s: exit %d\n%s", name, code, errOut)
	}
	waitReady(t, tc, name, 1+len(apps))
	return name
}

// plugin runs the plugin and fails the test on a non-zero exit.
func plugin(t *testing.T, tc *testcluster.Cluster, args ...string) string {
	t.Helper()
	out, errOut, code := tc.Plugin(t, args...)
	if code != 0 {
		t.Fatalf("kubectl drunc %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// watcher is a running `ps -w`, its output lines streamed.
type watcher struct {
	out, errs <-chan string
	stop      func(t *testing.T)
}

func startWatcher(t *testing.T, tc *testcluster.Cluster, ctx context.Context, kubeconfig string, args ...string) *watcher {
	t.Helper()
	cmd := tc.PluginCommandAs(t, ctx, kubeconfig, append([]string{"ps", "-w"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return &watcher{
		out:  lines(t, bufio.NewScanner(stdout)),
		errs: lines(t, bufio.NewScanner(stderr)),
		stop: func(t *testing.T) {
			t.Helper()
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("ps -w %s after Ctrl-C: %v, want exit 0", strings.Join(args, " "), err)
			}
		},
	}
}

// TestWatchFollowsTheRecord: in a session booted by kubectl drunc, ps -w
// (plain, and with --output-watch-events) shows a process killed with
// kubectl drunc kill as Killed with EXIT -1 after its pod's Deleted line,
// as ps shows it, and ends it on a Flushed line when flush forgets it.
func TestWatchFollowsTheRecord(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-recw", 1)
	tc.Nodes(t, hosts...)
	ns := bootRecorded(t, tc, "ps-recw", hosts[0], "ru-01", "df-01")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	events := startWatcher(t, tc, ctx, tc.Kubeconfig, "-n", ns, "--output-watch-events")
	plain := startWatcher(t, tc, ctx, tc.Kubeconfig, "-n", ns)
	expect(t, events.out, 30*time.Second, "ADDED", "ru-01", "Running")
	expect(t, plain.out, 30*time.Second, "ru-01", "Running")

	plugin(t, tc, "kill", "-n", ns, "^ru-01$", "--timeout=60s")
	expect(t, events.out, 60*time.Second, "DELETED", "ru-01", "Deleted")
	expect(t, events.out, 60*time.Second, "ADDED", "ru-01", "Killed", " -1 ")
	expect(t, plain.out, 60*time.Second, "ru-01", "Killed", " -1 ")
	if row := rowOf(ps(t, tc, "-n", ns), "ru-01"); len(row) < 5 || row[3] != "Killed" || row[4] != "-1" {
		t.Errorf("ps after the kill: ru-01 %q", row)
	}

	plugin(t, tc, "flush", "-n", ns, "^ru-01$")
	seen := expect(t, events.out, 60*time.Second, "DELETED", "ru-01", "Flushed")
	expect(t, plain.out, 60*time.Second, "ru-01", "Flushed")
	for _, l := range seen[:len(seen)-1] {
		if strings.Contains(l, "df-01") || strings.Contains(l, "root-controller") {
			t.Errorf("a process that did not change was printed again: %q", l)
		}
	}
	if out := ps(t, tc, "-n", ns); strings.Contains(out, "ru-01") {
		t.Errorf("ps after the flush still lists ru-01:\n%s", out)
	}
	events.stop(t)
	plain.stop(t)
}

// rowOf is the fields of a process's row in a ps table.
func rowOf(table, name string) []string {
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return f
		}
	}
	return nil
}
