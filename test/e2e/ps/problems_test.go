package ps

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// firstColumn is the process names of a table (its first column).
func firstColumn(table string) string {
	var names []string
	for i, l := range strings.Split(strings.TrimSpace(table), "\n") {
		if f := strings.Fields(l); i > 0 && len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return strings.Join(names, " ")
}

// TestProblemsHostStatusSortAndColour: ps --host, --status, --problems and
// --sort-by on a session with a process exited 3, across two hosts; no
// colour in a pipe, colour with --color always.
func TestProblemsHostStatusSortAndColour(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("ps-prob", 2)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "ps-problems")
	tc.WaitServiceAccount(t, ns)
	createPod(t, tc, ns, pythonPod("ru-01", "0.0", hosts[0], "alice"))
	createPod(t, tc, ns, pythonPod("ru-02", "0.1", hosts[1], "alice"))
	createPod(t, tc, ns, pythonPod("ru-03", "0.2", hosts[1], "alice"))
	waitReady(t, tc, ns, 3)
	tc.ExitPod(t, ns, "ru-02", 3)

	for _, c := range []struct{ args, want string }{
		{"--host " + hosts[1], "ru-02 ru-03"},
		{"--status Error", "ru-02"},
		{"--status running --host " + hosts[1], "ru-03"},
		{"--problems", "ru-02"},
		{"--sort-by STATUS", "ru-02 ru-01 ru-03"},
		{"--sort-by {.spec.nodeSelector.kubernetes\\.io/hostname} ru-0[13]", "ru-01 ru-03"},
	} {
		out := ps(t, tc, append([]string{"-n", ns}, strings.Fields(c.args)...)...)
		if got := firstColumn(out); got != c.want {
			t.Errorf("ps %s: %q, want %q\n%s", c.args, got, c.want, out)
		}
	}
	if out := ps(t, tc, "-n", ns); strings.Contains(out, "\x1b[") {
		t.Errorf("colour escapes in a pipe:\n%q", out)
	}
	if out := ps(t, tc, "--color", "always", "-n", ns); !strings.Contains(out, "\x1b[31mError\x1b[0m") {
		t.Errorf("--color always: no red Error:\n%q", out)
	}
}

// TestWatchPrintsDisappearance: ps -w ends a process killed with kubectl
// drunc, and one whose pod is deleted with the API, on a Deleted line
// (a DELETED event).
func TestWatchPrintsDisappearance(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("ps-gone", 1)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "ps-gone")
	tc.WaitServiceAccount(t, ns)
	createPod(t, tc, ns, pythonPod("ru-01", "0.0", hosts[0], "alice"))
	createPod(t, tc, ns, pythonPod("ru-02", "0.1", hosts[0], "alice"))
	waitReady(t, tc, ns, 2)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "ps", "-n", ns, "-w", "--output-watch-events")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := lines(t, bufio.NewScanner(stdout))
	expect(t, out, 30*time.Second, "ADDED", "ru-02", "Running")

	if _, errOut, code := tc.Plugin(t, "kill", "-n", ns, "^ru-01$"); code != 0 {
		t.Fatalf("kill: exit %d: %s", code, errOut)
	}
	expect(t, out, 60*time.Second, "DELETED", "ru-01", "Deleted")
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer dcancel()
	if err := tc.Client.CoreV1().Pods(ns).Delete(dctx, "ru-02", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	expect(t, out, 60*time.Second, "DELETED", "ru-02", "Deleted")
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("ps -w after Ctrl-C: %v, want exit 0", err)
	}
}

// TestKilledAndLostFromTheRecord: with a session record, a process
// recorded Killed shows Killed with EXIT -1, one whose pod vanished
// without kubectl drunc shows Lost, a flushed one is hidden.
func TestKilledAndLostFromTheRecord(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("ps-rec", 1)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "ps-record")
	tc.WaitServiceAccount(t, ns)
	createPod(t, tc, ns, pythonPod("root-controller", "0", hosts[0], "alice"))
	waitReady(t, tc, ns, 1)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	store := sessionrecord.New(tc.Client, ns)
	if _, err := store.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "run.yaml"}, Processes: 4}); err != nil {
		t.Fatal(err)
	}
	var entries []sessionrecord.Entry
	for _, p := range []struct{ name, tree string }{{"root-controller", "0"}, {"ru-01", "0.0"}, {"ru-02", "0.1"}, {"ru-03", "0.2"}} {
		entries = append(entries, entryOf(t, ns, pythonPod(p.name, p.tree, hosts[0], "alice")))
	}
	if err := store.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := store.Apply(ctx,
		sessionrecord.KilledChange{Name: "ru-01", PodUID: "gone-ru-01", ExitCode: sessionrecord.NoExit, At: now},
		sessionrecord.KilledChange{Name: "ru-03", PodUID: "gone-ru-03", ExitCode: sessionrecord.NoExit, At: now},
		sessionrecord.FlushedChange{Name: "ru-03", PodUID: "gone-ru-03", At: now}); err != nil {
		t.Fatal(err)
	}
	out := ps(t, tc, "-n", ns)
	rows := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		rows[f[0]] = f
	}
	if f := rows["ru-01"]; len(f) < 5 || f[3] != "Killed" || f[4] != "-1" {
		t.Errorf("ru-01 killed: row %q\n%s", f, out)
	}
	if f := rows["ru-02"]; len(f) < 5 || f[3] != "Lost" {
		t.Errorf("ru-02 lost: row %q\n%s", f, out)
	}
	if got := firstColumn(out); got != "root-controller ru-01 ru-02" {
		t.Errorf("rows %q, want the flushed ru-03 hidden\n%s", got, out)
	}
	if got := firstColumn(ps(t, tc, "-n", ns, "--problems")); got != "ru-01 ru-02" {
		t.Errorf("--problems: %q", got)
	}
}

// entryOf is the record entry boot writes for a pod (its spec as submitted).
func entryOf(t *testing.T, ns string, pod *corev1.Pod) sessionrecord.Entry {
	t.Helper()
	pod.Namespace = ns
	spec, err := json.Marshal(map[string]any{"pod": pod})
	if err != nil {
		t.Fatal(err)
	}
	return sessionrecord.Entry{Name: pod.Name, UUID: pod.Labels[keys.UUID()], TreeID: pod.Labels[keys.TreeID()],
		Host: pod.Spec.NodeSelector[corev1.LabelHostname], Spec: spec, State: sessionrecord.StateBooted,
		PodUID: types.UID("gone-" + pod.Name), BootedAt: time.Now()}
}
