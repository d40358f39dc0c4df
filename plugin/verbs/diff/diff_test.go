package diff_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessiondiff"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

const run42 = "../../../test/e2e/examples/testdata/run42.yaml"

func TestDiffRefusesBadCommandLinesWithExit2(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no configuration", []string{"diff", "-n", "run42"}, "give the configuration to compare with -f/--filename or --oks/--session-id"},
		{"two configurations", []string{"diff", "-n", "run42", "-f", run42, "--oks", "x.data.xml", "--session-id", "s"}, "one way only"},
		{"bad output", []string{"diff", "-n", "run42", "-f", run42, "-o", "wide"}, `--output "wide" is not supported`},
		{"unknown flag", []string{"diff", "-n", "run42", "-f", run42, "--bogus"}, "unknown flag: --bogus"},
		{"missing file", []string{"diff", "-n", "run42", "-f", "nope.yaml"}, "nope.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := verbtest.Run(t, verbtest.Clientset(), tt.args...)
			if r.Code != 2 || !strings.Contains(r.Err, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", r.Code, r.Err, tt.want)
			}
		})
	}
}

func TestDiffOfAnEmptySessionListsEveryProcessMissing(t *testing.T) {
	r := verbtest.Run(t, verbtest.Clientset(), "diff", "-n", "run42", "-f", run42)
	if r.Code != 1 {
		t.Fatalf("exit %d, want 1 (differences)\n%s", r.Code, r.Err)
	}
	for _, want := range []string{"session run42: 6 missing, 0 extra, 0 changed, 0 died, 0 unchanged", "missing  root-controller", "not created, boot creates it"} {
		if !strings.Contains(r.Out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.Out)
		}
	}
	r = verbtest.Run(t, verbtest.Clientset(), "diff", "-n", "run42", "-f", run42, "-o", "json")
	var rep sessiondiff.Report
	if err := json.Unmarshal([]byte(r.Out), &rep); err != nil || r.Code != 1 {
		t.Fatalf("-o json: exit %d, %v\n%s", r.Code, err, r.Out)
	}
	if len(rep.Missing) != 6 || rep.Missing[0].Reason != sessiondiff.NotCreated {
		t.Errorf("-o json: %+v, want 6 processes missing, NotCreated", rep.Missing)
	}
}
