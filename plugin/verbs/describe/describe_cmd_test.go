package describe_test

import (
	"strings"
	"testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func TestDescribeCommand(t *testing.T) {
	cs := vt.Clientset(vt.Namespace("demo"), vt.Namespace("empty"), vt.Namespace("default"),
		vt.Proc("demo", "root-controller", "0", "u0"), vt.Proc("demo", "ru-01", "0.0", "uuid-ru-01"))
	for _, c := range []struct {
		name        string
		args        string
		code        int
		out, stderr string
	}{
		{"one process", "describe -n demo ru-01", 0, "uuid-ru-01", ""},
		{"unknown session", "describe -n nosuch", 1, "", `session "nosuch" not found`},
		{"empty session", "describe -n empty", 1, "", `No processes found in session "empty".`},
		{"session as a name", "describe demo", 1, "", `"demo" is a session: to select it, give -n demo.`},
		{"bad regex", "describe -n demo ru-(", 1, "", "is not a valid regular expression"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}
