package okssession

import (
	"errors"
	"strings"
	"testing"
)

// TestExplainerPointsAtTheObject: a derived process Kubernetes would
// refuse (here a name that is no DNS label) is reported at the line of the
// OKS object it comes from.
func TestExplainerPointsAtTheObject(t *testing.T) {
	files := treeFiles()
	files["cfg/tree.data.xml"] = strings.ReplaceAll(treeSession, `id="w1"`, `id="Readout_1"`)
	opts := treeOpts(files)
	db, err := Read(opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Derive(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	verr := s.Validate()
	if verr == nil {
		t.Fatal("an invalid process name was accepted")
	}
	got := Explainer(db)(verr).Error()
	want := `cfg/tree.data.xml:26: DaqApplication "Readout_1": name: "Readout_1" is not a valid process name`
	if !strings.HasPrefix(got, want) {
		t.Errorf("got  %s\nwant %s...", got, want)
	}
	other := errors.New("unrelated")
	if Explainer(db)(other) != other {
		t.Error("other errors must pass through")
	}
}
