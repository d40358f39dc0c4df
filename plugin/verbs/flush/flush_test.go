package flush_test

import (
	"errors"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func demo() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("idle"),
		vt.Proc("demo", "ru-01", "0.0", "u1", vt.Exited(3)), vt.Proc("demo", "ru-02", "0.1", "u2", vt.Exited(0)),
		vt.Proc("demo", "df-01", "0.2", "u3"), vt.Proc("idle", "df-01", "0.0", "u4"))
}

// Flush's exit codes: 0 when it removed the exited processes or found
// none among those selected, 1 when the selection is empty or wrong or a
// deletion failed.
func TestFlushExitCodes(t *testing.T) {
	refuse := func(cs *fake.Clientset) {
		cs.PrependReactor("delete", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, nil, errors.New("refused")
		})
	}
	for _, c := range []struct {
		name, args  string
		setup       func(*fake.Clientset)
		code        int
		out, stderr string
	}{
		{"exited ones", "flush -n demo", nil, 0, "Flushed", ""},
		{"nothing exited", "flush -n idle", nil, 0, "", "No exited process among the 1 selected: nothing to flush."},
		{"no match", "flush -n demo nothing", nil, 1, "", `No processes found: no process in session "demo" matches the selection; ` + "`kubectl drunc ps -n demo`"},
		{"unknown session", "flush -n nosuch", nil, 1, "", `session "nosuch" not found`},
		{"no selection", "flush", nil, 1, "", "flush needs a selection"},
		{"deletion refused", "flush -n demo ru-01 --timeout=1s", refuse, 1, "", "refused"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs := demo()
			if c.setup != nil {
				c.setup(cs)
			}
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}

// Only exited processes go, with their exit codes.
func TestFlushRemovesOnlyExited(t *testing.T) {
	r := vt.Run(t, demo(), "flush", "-n", "demo", "-o", "custom-columns=NAME:.metadata.name")
	if r.Code != 0 {
		t.Fatalf("%+v", r)
	}
	if got := strings.Fields(r.Out); strings.Join(got, " ") != "NAME ru-01 ru-02" {
		t.Errorf("flushed %q, want ru-01 and ru-02", got)
	}
	r = vt.Run(t, demo(), "flush", "-n", "demo")
	found := false
	for _, line := range strings.Split(r.Out, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "ru-01" {
			found = true
			if !strings.Contains(line, "Flushed   3 ") {
				t.Errorf("ru-01's row %q must show Flushed and exit code 3", line)
			}
		}
	}
	if !found {
		t.Errorf("no row for ru-01 in %q", r.Out)
	}
}
