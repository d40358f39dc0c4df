package describe_test

import (
	"regexp"
	"strings"
	"testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// spaces are a run of the blanks that align describe's columns.
var spaces = regexp.MustCompile(` +`)

// A process killed with kubectl drunc (ru-01, after it had exited 2) and
// one whose pod was deleted by hand (ru-02) are described from the session
// record, selected by name, regex or uuid as ps selects them, in tree order
// with the live ones; exit 0, as they are known processes.
func TestDescribeRecordedProcesses(t *testing.T) {
	root, ru1, ru2 := vt.Proc("demo", "root-controller", "0", "u0"), vt.Proc("demo", "ru-01", "0.0", "uuid-ru-01"), vt.Proc("demo", "ru-02", "0.1", "uuid-ru-02")
	cs := vt.Clientset(vt.Namespace("demo"), root, ru1, ru2)
	st := vt.Record(t, cs, "demo", root, ru1, ru2)
	vt.Gone(t, cs, st, map[string]int32{"ru-01": 2}, ru1, ru2)
	for _, c := range []struct {
		name, args string
		want       []string
	}{
		{"by name", "describe -n demo ru-01", []string{"Name:         ru-01", "Status:       Killed (no pod: kubectl drunc kill deleted it", "Exit Code:    2", "UUID:         uuid-ru-01"}},
		{"by regex", "describe -n demo ^ru-0[12]$", []string{"Killed (no pod", "Lost (no pod: its pod was deleted without kubectl drunc"}},
		{"by uuid", "describe -n demo --uuid uuid-ru-02", []string{"Name:         ru-02", "Status:       Lost"}},
		{"the session", "describe -n demo", []string{"Name:         root-controller", "Name:         ru-01", "Name:         ru-02"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != 0 || r.Err != "" {
				t.Fatalf("code %d, stderr %q; want 0 and nothing", r.Code, r.Err)
			}
			out := spaces.ReplaceAllString(r.Out, " ")
			at := -1
			for _, w := range c.want {
				i := strings.Index(out, spaces.ReplaceAllString(w, " "))
				if i < 0 {
					t.Errorf("stdout lacks %q:\n%s", w, r.Out)
				}
				if c.name == "the session" && i < at {
					t.Errorf("%q out of tree order:\n%s", w, r.Out)
				}
				at = i
			}
		})
	}
}
