package wait_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/fake"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func pending(p *corev1.Pod) {
	p.Status = corev1.PodStatus{Phase: corev1.PodPending}
}

func demo() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("default"), vt.Namespace("empty"),
		vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "ru-02", "0.1", "u2"),
		vt.Proc("demo", "df-01", "0.2", "u3", vt.Exited(3)), vt.Proc("demo", "trg-01", "0.3", "u4", pending))
}

// wait's exit codes: 0 met, 2 not met (timeout, a process died, another
// exit code, nothing selected), 1 for usage errors and unknown sessions.
func TestWaitExitCodes(t *testing.T) {
	for _, c := range []struct {
		name, args  string
		code        int
		out, stderr string
	}{
		{"ready", "wait -n demo ru- --for=ready", 0, "demo/ru-01 condition met (ready)\ndemo/ru-02 condition met (ready)\n", ""},
		{"exit code", "wait -n demo df-01 --for=exit=3", 0, "demo/df-01 condition met (exit=3)", ""},
		{"dead", "wait -n demo df-01 --for=dead", 0, "demo/df-01 condition met", ""},
		{"other exit code", "wait -n demo df-01 --for=exit=0", 2, "", "df-01"},
		{"died while waiting for ready", "wait -n demo df-01 --for=ready --timeout=10s", 2, "", "df-01"},
		{"timeout", "wait -n demo trg-01 --for=ready --timeout=300ms", 2, "", "trg-01"},
		{"nothing selected", "wait -n demo nothing --for=ready", 2, "", `no process matches the selection in session "demo"`},
		{"nothing selected, allowed", "wait -n demo nothing --for=ready --allow-empty", 0, "", ""},
		{"session as a name", "wait demo --for=ready", 2, "", `"demo" is a session: to select it, give -n demo.`},
		{"unknown session", "wait -n nosuch --for=ready", 1, "", `session "nosuch" not found`},
		{"no --for", "wait -n demo", 1, "", "--for is required"},
		{"bad --for", "wait -n demo --for=sleeping", 1, "", "sleeping"},
		{"negative timeout", "wait -n demo --for=ready --timeout=-1s", 1, "", "--timeout=-1s must not be negative"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, demo(), strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}
