// Package logs tests `kubectl drunc logs` against the local control plane:
// kwok serves each fake pod's log from a file the test writes (ServeLogs),
// through the API server's pods/log, as a kubelet would.
package logs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

func numbered(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s %d", prefix, i))
	}
	return out
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestLogsTailAndGrep(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-tail")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01")
	log := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	var written []string
	for i := 1; i <= 150; i++ {
		l := fmt.Sprintf("line %d", i)
		if i%50 == 0 {
			l = fmt.Sprintf("ERROR at line %d", i)
		}
		written = append(written, l)
	}
	log.Append(t, written...)
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 150)

	// Default: the last 100 lines, as drunc's --how-far, without prefix
	// (one process).
	out, errOut, code := tc.Plugin(t, "logs", "-n", ns, "ru-01")
	if code != 0 {
		t.Fatalf("logs: exit %d, stderr %s", code, errOut)
	}
	if got, want := lines(out), written[50:]; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("logs (default tail) printed %d lines %q...; want the last 100 of 150", len(got), got[:min(3, len(got))])
	}

	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--tail", "3")
	if want := "line 148\nline 149\nERROR at line 150\n"; out != want {
		t.Errorf("--tail 3 = %q, want %q", out, want)
	}

	// --grep applies after --tail: the whole log has 3 ERROR lines, the
	// last 100 lines 2.
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--grep", "ERROR")
	if want := "ERROR at line 100\nERROR at line 150\n"; out != want {
		t.Errorf("--grep ERROR = %q, want %q", out, want)
	}
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--grep", "ERROR", "--tail", "-1")
	if got := lines(out); len(got) != 3 {
		t.Errorf("--grep ERROR --tail -1 = %q, want the 3 ERROR lines", got)
	}
	// Below -1 is no number of lines: refused, not read as "all".
	if out, errOut, code := tc.Plugin(t, "logs", "-n", ns, "ru-01", "--tail", "-5"); code != 1 || out != "" || !strings.Contains(errOut, "--tail must be") {
		t.Errorf("--tail -5: exit %d, stdout %q, stderr %q; want 1 and the error", code, out, errOut)
	}
	// Highlighted with --color=always; never with --color=never.
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--grep", "ERROR", "--color=always")
	if want := "\x1b[1;31mERROR\x1b[0m at line 150\n"; !strings.HasSuffix(out, want) {
		t.Errorf("--grep --color=always = %q, want it to end with %q", out, want)
	}
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--grep", "ERROR", "--color=never")
	if strings.Contains(out, "\x1b[") {
		t.Errorf("--color=never printed escapes: %q", out)
	}

	// --timestamps prints the runtime's RFC 3339 timestamp first.
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--tail", "1", "--timestamps")
	stamp, text, _ := strings.Cut(strings.TrimSpace(out), " ")
	if _, err := time.Parse(time.RFC3339Nano, stamp); err != nil || text != "ERROR at line 150" {
		t.Errorf("--timestamps = %q, want '<RFC 3339 time> ERROR at line 150'", out)
	}
	// --prefix on one process.
	out, _, _ = tc.Plugin(t, "logs", "-n", ns, "ru-01", "--tail", "1", "--prefix")
	if want := "[" + ns + "/ru-01] ERROR at line 150\n"; out != want {
		t.Errorf("--prefix = %q, want %q", out, want)
	}
}

func TestLogsMergesProcessesWithPrefixes(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-merge")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01", "df-01")
	ru := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	df := tc.ServeLogs(t, ns, "df-01", "df-01")
	// Alternate the writers so that time order interleaves the processes;
	// long lines check that no line is ever cut by another.
	long := strings.Repeat("x", 20000)
	var want []string
	for i := 1; i <= 5; i++ {
		ru.Append(t, fmt.Sprintf("ru says %d %s", i, long))
		want = append(want, fmt.Sprintf("[%s/ru-01] ru says %d %s", ns, i, long))
		time.Sleep(2 * time.Millisecond)
		df.Append(t, fmt.Sprintf("df says %d", i))
		want = append(want, fmt.Sprintf("[%s/df-01] df says %d", ns, i))
		time.Sleep(2 * time.Millisecond)
	}
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.CreateRunning(t, tc, pods["df-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 5)
	e2eproc.WaitLogs(t, tc, ns, "df-01", 5)

	out, errOut, code := tc.Plugin(t, "logs", "-n", ns)
	if code != 0 {
		t.Fatalf("logs: exit %d, stderr %s", code, errOut)
	}
	if got := lines(out); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("merged logs:\n%s\nwant (time order, prefixed):\n%s", abbreviate(got), abbreviate(want))
	}

	// A regex selecting both, with a --max-log-requests of 1: still
	// merged (the limit is the fetch parallelism without -f).
	out, _, code = tc.Plugin(t, "logs", "-n", ns, "^[a-z]+-01$", "--max-log-requests", "1", "--grep", "says 5")
	if code != 0 || out != want[8]+"\n"+want[9]+"\n" {
		t.Errorf("logs '^[a-z]+-01$' --grep 'says 5': exit %d, %s", code, abbreviate(lines(out)))
	}

	// -f needs a stream per process: more than --max-log-requests is an
	// error, as in kubectl logs -f.
	_, errOut, code = tc.Plugin(t, "logs", "-n", ns, "-f", "--max-log-requests", "1")
	if code == 0 || !strings.Contains(errOut, "you are attempting to follow 2 log streams, but maximum allowed concurrency is 1, use --max-log-requests to increase the limit") {
		t.Errorf("logs -f with 2 processes and --max-log-requests 1: exit %d, stderr %q", code, errOut)
	}
}

func abbreviate(ls []string) string {
	var b strings.Builder
	for _, l := range ls {
		if len(l) > 80 {
			l = l[:80] + fmt.Sprintf("...(%d bytes)", len(l))
		}
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}

func TestLogsOfAProcessWhosePodIsGone(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-gone")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01", "df-01")
	tc.ServeLogs(t, ns, "df-01", "df-01").Append(t, "df alive")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.CreateRunning(t, tc, pods["df-01"])
	e2eproc.WaitLogs(t, tc, ns, "df-01", 1)
	e2eproc.DeleteGone(t, tc, ns, "ru-01")

	// The pod left events (Scheduled, Killing...): logs says it is gone,
	// prints the others, and exits 1.
	out, errOut, code := tc.Plugin(t, "logs", "-n", ns, "ru-01", "df-01")
	if code != 1 {
		t.Errorf("logs of a gone process: exit %d, want 1", code)
	}
	if want := fmt.Sprintf("process %q has no pod in session %q: it is gone", "ru-01", ns); !strings.Contains(errOut, want) {
		t.Errorf("stderr %q, want it to contain %q", errOut, want)
	}
	if out != "df alive\n" {
		t.Errorf("stdout %q, want the other process's line", out)
	}

	// A name that never existed is not "gone".
	_, errOut, code = tc.Plugin(t, "logs", "-n", ns, "nope-99")
	if want := fmt.Sprintf("no process matches %q in session %q", "nope-99", ns); code != 1 || !strings.Contains(errOut, want) {
		t.Errorf("logs nope-99: exit %d, stderr %q; want 1 and %q", code, errOut, want)
	}
	// A regex that does not compile: clear message, no API call needed.
	_, errOut, code = tc.Plugin(t, "logs", "-n", ns, "ru-(")
	if code == 0 || !strings.Contains(errOut, `process name "ru-(" is not a valid regular expression`) {
		t.Errorf("logs 'ru-(': exit %d, stderr %q", code, errOut)
	}
}
