package ps_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func onNode(node string) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Spec.NodeName = node }
}

// failed is a process that exited with code 3, as the kubelet reports it.
func failed(p *corev1.Pod) {
	vt.Exited(3)(p)
	p.Status.ContainerStatuses[0].State.Terminated.Reason = "Error"
}

func notReady(p *corev1.Pod) {
	p.Status.Conditions = nil
	p.Status.ContainerStatuses[0].Ready = false
}

// troubled is a session with one process of each kind of trouble, spread
// over two hosts.
func troubled() *fake.Clientset {
	return vt.Clientset(
		vt.Namespace("demo"),
		vt.Proc("demo", "root-controller", "0", "u0", vt.Role(session.RoleRootController), onNode("np02-srv-001")),
		vt.Proc("demo", "ru-controller", "0.0", "u1", vt.Role(session.RoleSegmentController), onNode("np02-srv-002")),
		vt.Proc("demo", "ru-01", "0.0.0", "u2", onNode("np02-srv-002"), failed),
		vt.Proc("demo", "ru-02", "0.0.1", "u3", onNode("np02-srv-001"), notReady),
		vt.Proc("demo", "ru-03", "0.0.2", "u4", onNode("np02-srv-002")),
	)
}

func TestHostStatusAndProblemsFiltersKeepTheSessionOrder(t *testing.T) {
	cs := troubled()
	for _, c := range []struct{ args, want string }{
		{"--host np02-srv-002", "ru-controller ru-01 ru-03"},
		{"--host np02-srv-001 --host np02-srv-002 ru-0", "ru-01 ru-02 ru-03"},
		{"--status Error", "ru-01"},
		{"--status notready --status error", "ru-01 ru-02"},
		{"--problems", "ru-01 ru-02"},
		{"--problems --host np02-srv-001", "ru-02"},
	} {
		r := vt.Run(t, cs, append([]string{"ps", "-n", "demo"}, strings.Fields(c.args)...)...)
		if got := names(r.Out); r.Code != 0 || got != c.want {
			t.Errorf("ps %s: code %d, names %q, want %q (stderr %q)", c.args, r.Code, got, c.want, r.Err)
		}
	}
	r := vt.Run(t, cs, "ps", "-n", "demo", "--status", "Killed")
	if r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "None of the 5 selected processes has STATUS Killed: their STATUS is Running (3), Error (1), NotReady (1).") {
		t.Errorf("no match: %+v", r)
	}
	r = vt.Run(t, cs, "ps", "-n", "demo", "--status", "Started", "ru-03")
	if r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "The selected process does not have STATUS Started: it is Running.") {
		t.Errorf("a status no process has: %+v", r)
	}
	r = vt.Run(t, cs, "ps", "-n", "demo", "--problems", "ru-03")
	if r.Code != 0 || r.Out != "" || !strings.Contains(r.Err, "No problems: the selected process is Running and ready.") {
		t.Errorf("--problems, none: %+v", r)
	}
}

func TestSortBy(t *testing.T) {
	cs := troubled()
	for _, c := range []struct{ by, want string }{
		{"STATUS", "ru-01 ru-02 root-controller ru-controller ru-03"},
		{"host", "root-controller ru-02 ru-controller ru-01 ru-03"},
		{"{.metadata.labels.uuid\\.drunc\\.daq}", "root-controller ru-controller ru-01 ru-02 ru-03"},
		{".spec.nodeName", "root-controller ru-02 ru-controller ru-01 ru-03"},
		{"EXIT", "root-controller ru-controller ru-02 ru-03 ru-01"},
	} {
		r := vt.Run(t, cs, "ps", "-n", "demo", "--sort-by", c.by)
		if got := names(r.Out); r.Code != 0 || got != c.want {
			t.Errorf("--sort-by %s: code %d, names %q, want %q (stderr %q)", c.by, r.Code, got, c.want, r.Err)
		}
	}
	r := vt.Run(t, cs, "ps", "-n", "demo", "--sort-by", ".spec.nodeName", "-o", "name")
	if want := "pod/root-controller\npod/ru-02\npod/ru-controller\npod/ru-01\npod/ru-03\n"; r.Out != want {
		t.Errorf("-o name sorted: %q, want %q", r.Out, want)
	}
	for _, args := range [][]string{{"--sort-by", "{.spec"}, {"--sort-by", "STATUS", "-w"}} {
		if r := vt.Run(t, cs, append([]string{"ps", "-n", "demo"}, args...)...); r.Code != 1 || !strings.Contains(r.Err, "--sort-by") {
			t.Errorf("ps %v: %+v, want exit 1 naming --sort-by", args, r)
		}
	}
}

func TestStatusIsColouredOnlyWhenAsked(t *testing.T) {
	cs := troubled()
	plain := vt.Run(t, cs, "ps", "-n", "demo")
	if strings.Contains(plain.Out, "\x1b[") {
		t.Errorf("colour in a buffer with --color=auto:\n%q", plain.Out)
	}
	coloured := vt.Run(t, cs, "--color", "always", "ps", "-n", "demo")
	for _, want := range []string{"\x1b[31mError\x1b[0m", "\x1b[33mNotReady\x1b[0m", "\x1b[32mRunning\x1b[0m"} {
		if !strings.Contains(coloured.Out, want) {
			t.Errorf("--color always: no %q in\n%s", want, coloured.Out)
		}
	}
	if strings.Contains(coloured.Out, "\x1b[32mSTATUS") || strings.Count(coloured.Out, "\x1b[0m") != 5 {
		t.Errorf("--color always: want exactly the five STATUS cells coloured:\n%q", coloured.Out)
	}
	never := vt.Run(t, cs, "--color", "always", "ps", "-n", "demo", "-o", "yaml")
	if strings.Contains(never.Out, "\x1b[") {
		t.Errorf("colour in -o yaml")
	}
}

// recorded is the entry boot would write for a pod.
func recorded(t *testing.T, pod *corev1.Pod) sessionrecord.Entry {
	t.Helper()
	spec, err := json.Marshal(map[string]any{"pod": pod})
	if err != nil {
		t.Fatal(err)
	}
	k := session.Keys("")
	return sessionrecord.Entry{Name: pod.Name, UUID: pod.Labels[k.UUID()], TreeID: pod.Labels[k.TreeID()], Host: pod.Spec.NodeName,
		Spec: spec, State: sessionrecord.StateBooted, PodUID: pod.UID, BootedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// A recorded process killed by kubectl drunc shows Killed with exit -1
// until flushed; one whose pod vanished otherwise shows Lost; a flushed
// one is not shown; without a record ps lists the pods only.
func TestKilledAndLostRowsFromTheRecord(t *testing.T) {
	live := []*corev1.Pod{
		vt.Proc("demo", "root-controller", "0", "u0", vt.Role(session.RoleRootController)),
		vt.Proc("demo", "ru-controller", "0.0", "u1", vt.Role(session.RoleSegmentController)),
	}
	goneKilled := vt.Proc("demo", "ru-01", "0.0.0", "u2")
	goneLost := vt.Proc("demo", "ru-02", "0.0.1", "u3")
	goneFlushed := vt.Proc("demo", "ru-03", "0.0.2", "u4")
	cs := vt.Clientset(vt.Namespace("demo"), live[0], live[1])
	without := vt.Run(t, cs, "ps", "-n", "demo")
	if names(without.Out) != "root-controller ru-controller" {
		t.Fatalf("without a record: %+v", without)
	}

	ctx := context.Background()
	store := sessionrecord.New(cs, "demo")
	if _, err := store.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "demo.yaml"}, Processes: 5}); err != nil {
		t.Fatal(err)
	}
	var entries []sessionrecord.Entry
	for _, p := range append(live, goneKilled, goneLost, goneFlushed) {
		entries = append(entries, recorded(t, p))
	}
	if err := store.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	at := time.Now()
	if err := store.Apply(ctx,
		sessionrecord.KilledChange{Name: "ru-01", PodUID: goneKilled.UID, ExitCode: sessionrecord.NoExit, At: at},
		sessionrecord.KilledChange{Name: "ru-03", PodUID: goneFlushed.UID, ExitCode: sessionrecord.NoExit, At: at},
		sessionrecord.FlushedChange{Name: "ru-03", PodUID: goneFlushed.UID, At: at}); err != nil {
		t.Fatal(err)
	}
	r := vt.Run(t, cs, "ps", "-n", "demo")
	if r.Code != 0 {
		t.Fatalf("ps: %+v", r)
	}
	golden.Assert(t, "record-rows.golden", []byte(ageless(r.Out)))
	if got := names(vt.Run(t, cs, "ps", "-n", "demo", "--problems").Out); got != "ru-01 ru-02" {
		t.Errorf("--problems with a record: %q", got)
	}
	if got := names(vt.Run(t, cs, "ps", "-A", "--status", "Killed").Out); got != "demo" {
		t.Errorf("-A --status Killed: first column %q, want the session demo", got)
	}
	if r := vt.Run(t, cs, "ps", "-n", "demo", "-o", "name"); r.Out != "pod/root-controller\npod/ru-controller\n" {
		t.Errorf("-o name lists pods only: %q", r.Out)
	}
}

// ageless drops the AGE column, which depends on the clock.
func ageless(table string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
		f := strings.Fields(line)
		out = append(out, strings.Join(f[:len(f)-1], " "))
	}
	return strings.Join(out, "\n") + "\n"
}

// Sorted rows are no tree: no name is indented under another.
func TestSortedRowsAreNotIndented(t *testing.T) {
	r := vt.Run(t, troubled(), "ps", "-n", "demo", "--sort-by", "EXIT")
	lines := strings.Split(strings.TrimSpace(r.Out), "\n")
	if r.Code != 0 || len(lines) < 3 {
		t.Fatalf("ps --sort-by EXIT: %+v", r)
	}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, " ") {
			t.Errorf("an indented row in a sorted table: %q", l)
		}
	}
}
