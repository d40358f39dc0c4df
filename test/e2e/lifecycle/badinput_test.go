package lifecycle

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestBadInputDeletesNothing: each destroying verb with no selection, an
// unknown session, a pattern that does not compile or that matches nothing
// fails with a message naming the fix, and the session is untouched.
func TestBadInputDeletesNothing(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels[:4])
	before := countAll(t, tc, ns)
	missing := tc.UniqueName("lc-nosuch")

	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"kill"}, []string{"kill needs a selection", "-n SESSION", "--uuid", "`kubectl drunc ps`"}},
		{[]string{"restart"}, []string{"restart needs a selection", "`kubectl drunc ps`"}},
		{[]string{"flush"}, []string{"flush needs a selection"}},
		{[]string{"terminate"}, []string{"terminate needs the session: give -n SESSION (or -A"}},
		{[]string{"kill", "-n", missing}, []string{`session "` + missing + `" not found`, "kubectl drunc ps -A"}},
		{[]string{"restart", "-n", missing, "x"}, []string{`session "` + missing + `" not found`}},
		{[]string{"terminate", "-n", missing}, []string{`session "` + missing + `" not found`}},
		{[]string{"kill", "-n", ns, "ru-(0"}, []string{`process name "ru-(0" is not a valid regular expression`}},
		{[]string{"flush", "-n", ns, "["}, []string{"not a valid regular expression"}},
		{[]string{"kill", "-n", ns, "--role", "boss"}, []string{`--role "boss" is not a drunc role`}},
		{[]string{"kill", "-n", ns, "^nothing-matches$"}, []string{"no process in session", "kubectl drunc ps -n " + ns}},
		{[]string{"kill", "-n", ns, "--force", "--grace-period=5"}, []string{"--force or --grace-period, not both"}},
	}
	for _, c := range cases {
		stdout, stderr, code := tc.Plugin(t, c.args...)
		if code == 0 {
			t.Errorf("%v: exit 0", c.args)
		}
		if stdout != "" {
			t.Errorf("%v: printed on stdout: %q", c.args, stdout)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, stderr)
			}
		}
	}
	if after := countAll(t, tc, ns); after != before {
		t.Errorf("pods+services went from %d to %d", before, after)
	}
	for name, p := range pods(t, tc, ns) {
		if p.DeletionTimestamp != nil {
			t.Errorf("%s is terminating", name)
		}
	}
}
