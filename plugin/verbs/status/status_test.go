package status_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func sessions() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("ok"), vt.Namespace("empty"), vt.Namespace("default"),
		&corev1.Node{ObjectMeta: metaName("node-1")},
		vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "df-01", "0.1", "u2", vt.Exited(3)),
		vt.Proc("ok", "ru-01", "0.0", "u3"))
}

// status's exit codes: 0 healthy, 1 unhealthy (silently: the screen says
// it) or nothing found in an existing session, 2 for every error,
// including an unknown session.
func TestStatusExitCodes(t *testing.T) {
	for _, c := range []struct {
		name, args  string
		code        int
		out, stderr string
	}{
		{"healthy", "status -n ok", 0, "healthy, 1 of 1 processes Ready", ""},
		{"unhealthy", "status -n demo", 1, "df-01", ""},
		{"unhealthy json", "status -n demo -o json", 1, `"healthy": false`, ""},
		{"healthy selection", "status -n demo ru-", 0, "healthy", ""},
		{"every session", "status -A", 1, "demo", ""},
		{"none found", "status -n empty", 1, "", `No processes found in session "empty".`},
		{"none found json", "status -n empty -o json", 1, `"sessions": []`, `No processes found in session "empty".`},
		{"session as a name", "status demo", 1, "", `"demo" is a session: to select it, give -n demo.`},
		{"unknown session", "status -n nosuch", 2, "", `error: session "nosuch" not found`},
		{"bad output", "status -n demo -o wide", 2, "", "use json or yaml"},
		{"bad flag", "status --bogus", 2, "", "unknown flag: --bogus"},
		{"bad regex", "status -n demo (", 2, "", "not a valid regular expression"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, sessions(), strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
			if c.stderr == "" && strings.Contains(r.Err, "error") {
				t.Errorf("stderr %q, want no error line", r.Err)
			}
		})
	}
}

func metaName(n string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: n} }
