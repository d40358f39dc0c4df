package conventions

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestSelectionErrors: every selecting verb says the same thing about a
// session that does not exist (an error naming it, exit 1), about an
// existing session where nothing matches ("No processes found", each
// verb's documented exit code), and suggests -n when a positional argument
// is the name of a session; all refuse -n with -A.
func TestSelectionErrors(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	empty := tc.Namespace(t, "sel-empty")
	nosuch := tc.UniqueName("sel-nosuch")

	verbs := []struct {
		args      []string
		emptyCode int // an existing session with no matching process
	}{
		{[]string{"ps"}, 0},
		{[]string{"logs"}, 0},
		{[]string{"describe"}, 1},
		{[]string{"wait", "--for=ready", "--timeout=60s"}, 2}, // an empty selection ends at once; the timeout only bounds a slow first list
		{[]string{"kill"}, 1},
		{[]string{"restart"}, 1},
		{[]string{"flush"}, 1},
	}
	for _, v := range verbs {
		verb := v.args[0]
		_, errOut, code := tc.Plugin(t, append(v.args, "-n", nosuch)...)
		if code != 1 || !strings.Contains(errOut, `session "`+nosuch+`" not found`) {
			t.Errorf("%s -n %s: exit %d, stderr %q; want 1 naming the session", verb, nosuch, code, errOut)
		}
		out, errOut, code := tc.Plugin(t, append(v.args, "-n", empty)...)
		want := `No processes found in session "` + empty + `"`
		switch verb {
		case "wait":
			want = `no process matches the selection in session "` + empty + `"`
		case "kill", "restart", "flush":
			want = `No processes found: no process in session "` + empty + `" matches the selection`
		}
		if code != v.emptyCode || !strings.Contains(errOut, want) || out != "" {
			t.Errorf("%s -n %s: exit %d, stdout %q, stderr %q; want %d and %q", verb, empty, code, out, errOut, v.emptyCode, want)
		}
		// The session given where a process name goes: nothing of that
		// name in the context's namespace, and a hint to use -n.
		_, errOut, code = tc.Plugin(t, append(v.args, empty)...)
		if hint := `"` + empty + `" is a session: to select it, give -n ` + empty; !strings.Contains(errOut, hint) {
			t.Errorf("%s %s: exit %d, stderr %q; want the hint %q", verb, empty, code, errOut, hint)
		}
	}
	// -A with -n: kubectl lets -A win, which would take a kill meant for
	// one session to every session; every verb refuses both, touching nothing.
	for _, args := range append([][]string{{"status"}, {"events"}, {"terminate"}}, func() (out [][]string) {
		for _, v := range verbs {
			out = append(out, v.args)
		}
		return out
	}()...) {
		_, errOut, code := tc.Plugin(t, append(args, "-n", empty, "-A")...)
		want := 1
		if args[0] == "status" { // its errors exit 2: 1 means unhealthy
			want = 2
		}
		if code != want || !strings.Contains(errOut, "give -n SESSION or -A, not both") {
			t.Errorf("%s -n %s -A: exit %d, stderr %q; want %d, refusing both", args[0], empty, code, errOut, want)
		}
	}
	_, errOut, code := tc.Plugin(t, "terminate", "-n", nosuch)
	if code != 1 || !strings.Contains(errOut, `session "`+nosuch+`" not found`) {
		t.Errorf("terminate -n %s: exit %d, stderr %q", nosuch, code, errOut)
	}
}
