package logs

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/logtail"
)

// logs -f follows a whole session by default (here 32 processes, more than
// kubectl's limit of 5), keeps the lines --include selects and --exclude
// does not drop, and -o json prints one object per line.
func TestLogsFollowSessionIncludeExcludeJSON(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-session")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	const n = 32
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("ru-%02d", i+1)
	}
	pods := e2eproc.RenderApps(t, ns, node, names...)
	logs := map[string]*testcluster.PodLog{}
	for _, name := range names {
		logs[name] = tc.ServeLogs(t, ns, name, name)
		logs[name].Append(t, "started "+name)
		e2eproc.CreateRunning(t, tc, pods[name])
	}
	for _, name := range names {
		e2eproc.WaitLogs(t, tc, ns, name, 1)
	}

	// The default tail reads what was written before a stream opened, so
	// no line is missed; the "started" lines are not included.
	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "-o", "json",
		"--include", "^ERROR", "--include", "^WARN", "--exclude", "expected")
	for _, name := range names {
		logs[name].Append(t, "INFO "+name, "WARN expected in "+name, "ERROR in "+name)
	}
	deadline := time.Now().Add(60 * time.Second)
	var got map[string]logtail.JSONLine
	for time.Now().Before(deadline) {
		got = map[string]logtail.JSONLine{}
		for _, l := range f.lines() {
			var j logtail.JSONLine
			if err := json.Unmarshal([]byte(l), &j); err != nil {
				t.Fatalf("not a JSON line: %q (%v)", l, err)
			}
			if !strings.HasPrefix(j.Text, "ERROR in ") || j.Session != ns || "ERROR in "+j.Process != j.Text || j.Time == "" {
				t.Fatalf("line %q: want only the ERROR lines, with session, process and time", l)
			}
			got[j.Process] = j
		}
		if len(got) == n {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(got) != n {
		t.Fatalf("logs -f printed the ERROR line of %d of %d processes; stderr %q", len(got), n, f.stderr())
	}
	f.stop(t)
	if strings.Contains(f.stderr(), "max-log-requests") {
		t.Errorf("stderr mentions the stream limit: %q", f.stderr())
	}
}

// A process whose container exited, while its pod still exists, has its
// log: read, and followed.
func TestLogsOfExitedProcess(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-exited")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "df-01")
	log := tc.ServeLogs(t, ns, "df-01", "df-01")
	log.Append(t, "working", "fatal: giving up")
	e2eproc.CreateRunning(t, tc, pods["df-01"])
	e2eproc.WaitLogs(t, tc, ns, "df-01", 2)
	tc.ExitPod(t, ns, "df-01", 3)

	out, errOut, code := tc.Plugin(t, "logs", "-n", ns, "df-01")
	if code != 0 || out != "working\nfatal: giving up\n" {
		t.Fatalf("logs of an exited process: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "df-01")
	f.waitLine(t, "fatal: giving up")
	f.stop(t)
	if got := f.lines(); strings.Join(got, "\n") != "working\nfatal: giving up" {
		t.Errorf("logs -f of an exited process printed %q", got)
	}
}
