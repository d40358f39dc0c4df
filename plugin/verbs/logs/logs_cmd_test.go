package logs_test

import (
	"strings"
	"testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func TestLogsCommand(t *testing.T) {
	cs := vt.Clientset(vt.Namespace("demo"), vt.Namespace("default"), vt.Namespace("empty"),
		vt.Proc("demo", "root-controller", "0", "u0"), vt.Proc("demo", "ru-01", "0.0", "u1"))
	for _, c := range []struct {
		name        string
		args        []string
		code        int
		out, stderr string
	}{
		// Selection errors (moved from Validate: the selection compiles in Complete).
		{"regex", []string{"logs", "-n", "demo", "ru-("}, 1, "", `process name "ru-(" is not a valid regular expression`},
		{"role", []string{"logs", "-n", "demo", "--role", "boss"}, 1, "", `--role "boss" is not a drunc role`},
		{"max", []string{"logs", "-n", "demo", "--max-log-requests", "0"}, 1, "", "--max-log-requests must be at least 1"},
		{"unknown session", []string{"logs", "-n", "nosuch"}, 1, "", `session "nosuch" not found`},
		{"empty session", []string{"logs", "-n", "empty"}, 0, "", `No processes found in session "empty".`},
		{"session as name", []string{"logs", "demo"}, 1, "", `"demo" is a session: to select it, give -n demo.`},
		// The fake clientset answers every log request with "fake logs".
		{"one process", []string{"logs", "-n", "demo", "ru-01"}, 0, "fake logs\n", ""},
		{"several are prefixed", []string{"logs", "-n", "demo"}, 0, "[demo/root-controller] fake logs\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, c.args...)
			if r.Code != c.code || !strings.Contains(r.Err, c.stderr) || !strings.Contains(r.Out, c.out) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}
