package restart_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// The process comes back with its name, uuid and tree id.
func TestRestartKeepsTheUUID(t *testing.T) {
	cs := vt.Clientset(vt.Node("node-1"), vt.Namespace("demo"), vt.Proc("demo", "ru-01", "0.0", "uuid-ru-01", vt.Exited(3)), vt.Proc("demo", "df-01", "0.1", "uuid-df-01"))
	r := vt.Run(t, cs, "restart", "-n", "demo", "^ru-01$", "--wait=false", "--no-probe", "--force")
	if r.Code != 0 {
		t.Fatalf("restart: %+v", r)
	}
	var created []*corev1.Pod
	for _, a := range cs.Actions() {
		if c, ok := a.(k8stesting.CreateActionImpl); ok {
			if p, ok := c.GetObject().(*corev1.Pod); ok {
				created = append(created, p)
			}
		}
	}
	if len(created) != 1 {
		t.Fatalf("created %d pods, want 1", len(created))
	}
	k := session.Keys("")
	if p := created[0]; p.Name != "ru-01" || p.Labels[k.UUID()] != "uuid-ru-01" || p.Labels[k.TreeID()] != "0.0" {
		t.Errorf("recreated %s with labels %v: want ru-01, uuid-ru-01, tree id 0.0", p.Name, p.Labels)
	}
	if !strings.Contains(r.Out, "ru-01") || strings.Contains(r.Out, "df-01") {
		t.Errorf("table %q must list ru-01 only", r.Out)
	}
}

func TestRestartRefuses(t *testing.T) {
	cs := vt.Clientset(vt.Node("node-1"), vt.Namespace("demo"), vt.Namespace("default"), vt.Proc("demo", "ru-01", "0.0", "u1"))
	for _, c := range []struct{ name, args, stderr string }{
		{"force with a grace period", "restart -n demo ru-01 --force --grace-period=5", "give --force or --grace-period, not both"},
		{"zero timeout", "restart -n demo ru-01 --timeout=0s", "--timeout=0s must be positive"},
		{"no selection", "restart", "restart needs a selection"},
		{"unknown session", "restart -n nosuch ru", `session "nosuch" not found`},
		{"no match", "restart -n demo nothing", `No processes found: no process in session "demo" matches the selection; ` + "`kubectl drunc ps -n demo`"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != 1 || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stderr %q; want 1 and %q", r.Code, r.Err, c.stderr)
			}
		})
	}
}

// A process pinned to a cordoned host is not killed: restart refuses
// before any delete, naming the host, its problem, the fix and the process.
func TestRestartRefusesAHostThatCannotTakeItBack(t *testing.T) {
	cordoned := func(n *corev1.Node) { n.Spec.Unschedulable = true }
	cs := vt.Clientset(vt.Node("node-1", cordoned), vt.Namespace("demo"), vt.Proc("demo", "ru-01", "0.0", "u1"))
	r := vt.Run(t, cs, "restart", "-n", "demo", "^ru-01$", "--no-probe")
	want := `cannot restart processes of session "demo": 1 host(s) cannot run processes, nothing was killed:
  node-1: cordoned (unschedulable) (processes: demo/ru-01); kubectl uncordon node-1 when it may run DAQ processes again`
	if r.Code != 1 || !strings.Contains(r.Err, want) || strings.Contains(r.Err, "interrupted") {
		t.Errorf("code %d, stderr %q; want 1 and %q", r.Code, r.Err, want)
	}
	for _, a := range cs.Actions() {
		if a.GetVerb() == "delete" || a.GetVerb() == "create" {
			t.Errorf("restart %s %s despite the cordoned host", a.GetVerb(), a.GetResource().Resource)
		}
	}
}
