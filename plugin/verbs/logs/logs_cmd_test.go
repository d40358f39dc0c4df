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
		// Line filters and formats.
		{"include matches", []string{"logs", "-n", "demo", "ru-01", "--include", "^f.ke", "--include", "nothing"}, 0, "fake logs\n", ""},
		{"exclude", []string{"logs", "-n", "demo", "ru-01", "--exclude", "nothing", "--exclude", "l[o]gs$"}, 0, "", ""},
		{"json", []string{"logs", "-n", "demo", "ru-01", "-o", "json"}, 0, `{"session":"demo","process":"ru-01","text":"fake logs"}` + "\n", ""},
		{"bad include", []string{"logs", "-n", "demo", "--include", "a("}, 1, "", `--include "a(" is not a valid regular expression`},
		{"bad exclude", []string{"logs", "-n", "demo", "--exclude", "["}, 1, "", `--exclude "[" is not a valid regular expression`},
		{"bad output", []string{"logs", "-n", "demo", "-o", "yaml"}, 1, "", `--output "yaml" is not supported by logs: use raw or json`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, c.args...)
			if r.Code != c.code || !strings.Contains(r.Err, c.stderr) || !strings.Contains(r.Out, c.out) || (c.out == "" && r.Out != "") {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}
