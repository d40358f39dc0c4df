package wait_test

import (
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes/fake"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// killedDemo is session demo with a record: ru-01 killed with kubectl
// drunc after it exited 3, ru-02 lost (its pod deleted by hand), df-01
// running and Ready.
func killedDemo(t *testing.T) *fake.Clientset {
	t.Helper()
	ru1, ru2, df := vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "ru-02", "0.1", "u2"), vt.Proc("demo", "df-01", "0.2", "u3")
	cs := vt.Clientset(vt.Namespace("demo"), ru1, ru2, df)
	st := vt.Record(t, cs, "demo", ru1, ru2, df)
	vt.Gone(t, cs, st, map[string]int32{"ru-01": 3}, ru1, ru2)
	return cs
}

// The session record's killed and lost processes are waited for as ps
// shows them: a session with one is not ready (at once, naming it), they
// are dead and deleted already, and a killed one meets exit=N with its
// recorded code.
func TestWaitCountsRecordedProcesses(t *testing.T) {
	for _, c := range []struct {
		name, args  string
		code        int
		out, stderr string
	}{
		{"the session is not ready", "wait -n demo --for=ready --timeout=10s", 2, "",
			"2 of 3 processes can no longer be ready:\n  demo/ru-01: Killed; exit code 3\n  demo/ru-02: Lost"},
		{"a killed process is dead", "wait -n demo ^ru-01$ --for=dead", 0, "demo/ru-01 condition met (dead)", ""},
		{"a lost process is deleted", "wait -n demo ru-02 --for=deleted", 0, "demo/ru-02 condition met (deleted)", ""},
		{"its recorded exit code", "wait -n demo ru-01 --for=exit=3", 0, "demo/ru-01 condition met (exit=3)", ""},
		{"--allow-dead waits for a restart", "wait -n demo ru-01 --for=ready --allow-dead --timeout=300ms", 2, "", "timed out waiting for 1 of 1 processes to be ready:\n  demo/ru-01: Killed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, killedDemo(t), strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q, %q", r.Code, r.Out, r.Err, c.code, c.out, c.stderr)
			}
		})
	}
}
