package conventions

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestErrorsGoToStderr: whatever fails, stdout stays empty (a script piping
// the output gets no error text as data) and stderr says why in one line
// starting with "error:", as kubectl does.
func TestErrorsGoToStderr(t *testing.T) {
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "streams")
	for _, args := range [][]string{
		{"ps", "-n", ns, "ru-("},                 // a regex that does not compile
		{"kill", "-n", ns},                       // a destructive verb without a selection
		{"boot", "-f", "/nonexistent/boot.yaml"}, // a missing file
		{"wait", "-n", ns, "--for=sleeping"},     // an unknown condition
		{"rbac", "--serviceaccount", "no-colon"}, // a malformed subject
		{"version", "-o", "xml"},                 // an unknown format
		{"ps", "-n", ns, "--no-such-flag"},       // an unknown flag
		{"no-such-verb"},                         // an unknown command
	} {
		out, stderr, code := tc.Plugin(t, args...)
		cmd := "kubectl drunc " + strings.Join(args, " ")
		if code == 0 {
			t.Errorf("%s succeeded", cmd)
		}
		if out != "" {
			t.Errorf("%s wrote to stdout on failure: %q", cmd, out)
		}
		if !strings.Contains(stderr, "error: ") {
			t.Errorf("%s: stderr has no error line: %q", cmd, stderr)
		}
	}
}

// TestDataOnStdoutOnly: printed data (rbac's YAML for kubectl apply, ps's
// table) is all on stdout, with nothing on stderr to mix into a pipe.
func TestDataOnStdoutOnly(t *testing.T) {
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "streams-data")
	for _, args := range [][]string{
		{"rbac", "--user", "alice"},
		{"version"},
		{"ps", "-n", ns, "-o", "name"},
	} {
		_, stderr, code := tc.Plugin(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("kubectl drunc %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
}
