package kill_test

import (
	"fmt"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func demo() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("default"), vt.Namespace("empty"),
		vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "df-01", "0.1", "u2"))
}

// deleted is the grace period each pod deletion sent ("nil": none, the
// pod's own applies).
func deleted(actions []k8stesting.Action) map[string]string {
	out := map[string]string{}
	for _, a := range actions {
		if d, ok := a.(k8stesting.DeleteActionImpl); ok && d.GetResource().Resource == "pods" {
			out[d.GetName()] = "nil"
			if g := d.GetDeleteOptions().GracePeriodSeconds; g != nil {
				out[d.GetName()] = fmt.Sprint(*g)
			}
		}
	}
	return out
}

// --force sends a grace period of 0; --grace-period its value; neither
// leaves each pod's own.
func TestKillGracePeriods(t *testing.T) {
	for _, c := range []struct {
		flags string
		want  string
	}{
		{"", "nil"},
		{"--force", "0"},
		{"--grace-period=0", "0"},
		{"--grace-period=7", "7"},
		{"--force --grace-period=0", "0"},
	} {
		t.Run(c.flags, func(t *testing.T) {
			cs := demo()
			r := vt.Run(t, cs, append([]string{"kill", "-n", "demo", "ru-01", "--timeout=5s"}, strings.Fields(c.flags)...)...)
			if r.Code != 0 {
				t.Fatalf("kill: %+v", r)
			}
			got := deleted(cs.Actions())
			if len(got) != 1 || got["ru-01"] != c.want {
				t.Errorf("deletions %v, want ru-01 with grace period %s", got, c.want)
			}
			if !strings.Contains(r.Out, "ru-01") || !strings.Contains(r.Out, "Killed") || strings.Contains(r.Out, "df-01") {
				t.Errorf("table %q must list ru-01 (only) as Killed", r.Out)
			}
		})
	}
}

// Errors are found before anything is deleted.
func TestKillRefuses(t *testing.T) {
	for _, c := range []struct {
		name, args, stderr string
	}{
		{"force with a grace period", "kill -n demo ru-01 --force --grace-period=5", "give --force or --grace-period, not both"},
		{"grace period below -1", "kill -n demo ru-01 --grace-period=-2", "--grace-period=-2: give a number of seconds"},
		{"negative timeout", "kill -n demo ru-01 --timeout=-1s", "--timeout=-1s must not be negative"},
		{"no selection", "kill", "kill needs a selection"},
		{"unknown session", "kill -n nosuch", `session "nosuch" not found`},
		{"no match", "kill -n demo nothing", `No processes found: no process in session "demo" matches the selection; ` + "`kubectl drunc ps -n demo`"},
		{"empty session", "kill -n empty", `No processes found: no process in session "empty" matches the selection`},
		{"session as a name", "kill demo", `"demo" is a session: to select it, give -n demo.`},
		{"bad output", "kill -n demo -o xml", "xml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs := demo()
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != 1 || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stderr %q; want 1 and %q", r.Code, r.Err, c.stderr)
			}
			if got := deleted(cs.Actions()); len(got) > 0 {
				t.Errorf("deleted %v", got)
			}
		})
	}
}
