package reliability

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// These tests restart a control-plane component, so each runs on a private
// control plane of its own (testcluster.Private): the tests of other
// packages, running meanwhile on the shared cluster, never see the outage.
// They do not run in parallel with each other (two extra control planes at
// once are too much for a small CI machine).

// TestWatchFaultAPIServerRestart: kube-apiserver restarts while `ps -w`,
// `wait` and a 200-process `boot` run.
func TestWatchFaultAPIServerRestart(t *testing.T) { watchFault(t, "apiserver") }

// TestWatchFaultEtcdRestart: etcd restarts (and is compacted to its current
// revision afterwards, so no watch can resume from an older one) while
// `ps -w`, `wait` and a 200-process `boot` run.
func TestWatchFaultEtcdRestart(t *testing.T) { watchFault(t, "etcd") }

func watchFault(t *testing.T, component string) {
	hosts := testcluster.NodeNames("fault", 10)
	tc := testcluster.Private(t, hosts...)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// Session A is running; ps -w and wait follow it across the restart.
	a := "fault-watch"
	boot(t, tc, a, generated(hosts, 5))
	psw := start(t, ctx, tc, "ps", "-w", "--output-watch-events", "-n", a)
	eventually(t, 30*time.Second, "ps -w printing the 6 processes", func() (bool, string) {
		out := psw.stdout.String()
		return strings.Count(out, "ADDED") >= 6, out
	})
	waitExit := start(t, ctx, tc, "wait", "-n", a, "^app-001$", "--for=exit=3", "--timeout=4m")

	// Session B: 200 processes, booting while the component restarts.
	b := "fault-boot"
	tc.DeleteNamespaceLater(t, b)
	bootB := start(t, ctx, tc, "boot", "-f", bootFile(t, b, generated(hosts, 199)), "-n", b, "--no-probe", "--timeout=4m")
	eventually(t, 60*time.Second, "boot creating its first pods", func() (bool, string) {
		list, err := tc.Client.CoreV1().Pods(b).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		return len(list.Items) >= 10, fmt.Sprintf("%d pods", len(list.Items))
	})
	time.Sleep(time.Second) // let wait's informer sync

	if component == "etcd" {
		tc.RestartEtcd(t)
		compactEtcd(t, tc)
	} else {
		tc.RestartAPIServer(t)
	}

	// Changes after the restart: an exit (what wait waits for), another
	// exit code, and a pod deleted behind the plugin's back.
	tc.ExitPod(t, a, "app-001", 3)
	tc.ExitPod(t, a, "app-002", 0)
	if err := tc.Client.CoreV1().Pods(a).Delete(ctx, "app-003", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "app-003 gone", func() (bool, string) {
		_, ok := pods(t, tc, a)["app-003"]
		return !ok, "still there"
	})

	if code := waitExit.wait(t, 3*time.Minute); code != 0 {
		t.Errorf("wait --for=exit=3 across the %s restart: exit %d\nstdout:\n%s\nstderr:\n%s", component, code, waitExit.stdout.String(), waitExit.stderr.String())
	}

	// boot either completes (every process Ready, as the cluster says) or
	// fails with a message, never a Go panic or a silent non-zero exit.
	code := bootB.wait(t, 5*time.Minute)
	stderr := bootB.stderr.String()
	if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") {
		t.Errorf("boot across the %s restart crashed:\n%s", component, stderr)
	}
	inB := pods(t, tc, b)
	ready := 0
	for _, p := range inB {
		if isReady(p) {
			ready++
		}
	}
	switch {
	case code == 0 && (len(inB) != 200 || ready != 200):
		t.Errorf("boot across the %s restart exited 0, but the cluster has %d pods, %d Ready (want 200)", component, len(inB), ready)
	case code == 0:
		t.Logf("boot across the %s restart completed: 200/200 Ready", component)
	case !strings.Contains(stderr, "error"):
		t.Errorf("boot across the %s restart: exit %d without an error message:\n%s", component, code, stderr)
	default:
		t.Logf("boot across the %s restart failed clearly (exit %d, %d pods, %d Ready):\n%s", component, code, len(inB), ready, lastLines(stderr, 15))
		// What the summary says is not ready must not be Ready in the cluster.
		for name, status := range summaryRows(stderr) {
			if p, ok := inB[name]; ok && isReady(p) {
				t.Errorf("boot's summary says %s is %s, but its pod is Ready", name, status)
			}
		}
	}
	if got := psTable(t, tc, b); len(got) != len(inB) {
		t.Errorf("ps -n %s after the restart shows %d processes; the cluster has %d pods", b, len(got), len(inB))
	}

	// ps -w's final view equals the cluster's pods, row for row. ps's rows
	// from the session record are left out: a pod that vanished without
	// kubectl drunc shows Lost in ps at once, in ps -w only at the record's
	// next change.
	want := psTable(t, tc, a)
	for name, row := range want {
		if row.status == "Lost" || row.status == "Killed" {
			delete(want, name)
		}
	}
	var last string
	eventually(t, 30*time.Second, "ps -w's view converging on the cluster's", func() (bool, string) {
		view, problems := foldWatch(psw.stdout.String())
		last = fmt.Sprintf("view %v problems %v want %v", view, problems, want)
		return sameView(view, want), last
	})
	if code := psw.interrupt(t, 15*time.Second); code != 0 {
		t.Errorf("ps -w after Ctrl-C: exit %d\n%s", code, psw.stderr.String())
	}
	if _, problems := foldWatch(psw.stdout.String()); len(problems) > 0 {
		t.Errorf("ps -w across the %s restart printed inconsistent rows: %s\nfull output:\n%s", component, strings.Join(problems, "; "), psw.stdout.String())
	}
	if want["app-001"].exit != "3" || want["app-002"].exit != "0" {
		t.Errorf("ps after the %s restart: app-001 %+v, app-002 %+v; want exit 3 and 0", component, want["app-001"], want["app-002"])
	}
	if _, ok := want["app-003"]; ok {
		t.Errorf("ps after the %s restart still lists the deleted app-003", component)
	}
}

// foldWatch replays `ps -w --output-watch-events` output into the final
// view (name → row) and reports duplicates: an ADDED for a process already
// shown, or a DELETED or MODIFIED for one that is not.
func foldWatch(out string) (map[string]psRow, []string) {
	view := map[string]psRow{}
	var problems []string
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 7 || f[0] == "EVENT" {
			continue
		}
		row := psRow{name: f[1], role: f[2], host: f[3], status: f[4], exit: f[5]}
		_, shown := view[row.name]
		switch f[0] {
		case "ADDED":
			if shown {
				problems = append(problems, "duplicate ADDED "+row.name)
			}
			view[row.name] = row
		case "MODIFIED":
			if !shown {
				problems = append(problems, "MODIFIED for a missing row "+row.name)
			}
			view[row.name] = row
		case "DELETED":
			if !shown {
				problems = append(problems, "DELETED for a missing row "+row.name)
			}
			delete(view, row.name)
		default:
			problems = append(problems, "unknown event in "+line)
		}
	}
	return view, problems
}

func sameView(got, want map[string]psRow) bool {
	if len(got) != len(want) {
		return false
	}
	for name, w := range want {
		g, ok := got[name]
		if !ok || g.status != w.status || g.exit != w.exit || g.host != w.host {
			return false
		}
	}
	return true
}

// compactEtcd compacts etcd's history up to its current revision (through
// etcd's own JSON gateway on loopback), so nothing can watch from before.
func compactEtcd(t *testing.T, tc *testcluster.Cluster) {
	t.Helper()
	port := portOf(t, tc, "ETCD_PORT")
	base := "http://127.0.0.1:" + port + "/v3/kv/"
	var rng struct {
		Header struct {
			Revision string `json:"revision"`
		} `json:"header"`
	}
	post(t, base+"range", fmt.Sprintf(`{"key":%q}`, base64.StdEncoding.EncodeToString([]byte("/registry/"))), &rng)
	if rng.Header.Revision == "" {
		t.Fatal("etcd returned no revision")
	}
	post(t, base+"compaction", fmt.Sprintf(`{"revision":%s,"physical":true}`, rng.Header.Revision), nil)
	t.Logf("etcd compacted at revision %s", rng.Header.Revision)
}

func post(t *testing.T, url, body string, into any) {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("etcd %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("etcd %s: %s", url, resp.Status)
	}
	if into != nil {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("etcd %s: %v", url, err)
		}
	}
}

// portOf reads a port of the cluster from its ports.env.
func portOf(t *testing.T, tc *testcluster.Cluster, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(tc.StateDir, "ports.env"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+"="); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("%s not in %s/ports.env", name, tc.StateDir)
	return ""
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// summaryRows reads boot's end-of-run table (plain columns: stderr is no
// terminal here): the processes it reports as not ready, with their
// outcome.
func summaryRows(stderr string) map[string]string {
	rows := map[string]string{}
	in := false
	for _, line := range strings.Split(stderr, "\n") {
		cells := columns.Split(strings.TrimSpace(line), -1)
		switch {
		case cells[0] == "PROCESS":
			in = true
		case in && len(cells) >= 4:
			rows[cells[0]] = cells[2]
		default:
			in = false
		}
	}
	return rows
}

// columns separates the cells of a plain table (two blanks or more).
var columns = regexp.MustCompile(`\s{2,}`)

// TestSummaryRowsReadsBootsTable: summaryRows reads the table boot writes
// when stderr is no terminal (bootexec's golden file of it).
func TestSummaryRowsReadsBootsTable(t *testing.T) {
	b, err := os.ReadFile("../../../plugin/bootexec/testdata/summary-nowrap.txt")
	if err != nil {
		t.Fatal(err)
	}
	rows := summaryRows("boot: waiting\n" + string(b) + "error: 9 processes did not come up\n")
	if len(rows) != 5 || rows["ru-01"] != "CreateFailed" || rows["df-03"] != "Created (rolled back)" {
		t.Errorf("summaryRows = %v, want the 5 rows with their outcomes", rows)
	}
}
