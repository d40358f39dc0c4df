package bootexec

import (
	"context"
	"errors"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// TestBootOfChangedSessionWritesNothing: a boot whose configuration
// changed a running process stops with ChangedError naming it, and sends
// no write at all: not even a create of the namespace or of the record
// refused as AlreadyExists.
func TestBootOfChangedSessionWritesNothing(t *testing.T) {
	client := bootedRun1(t)
	_, err := Run(context.Background(), Config{Client: client, Objects: renderRun1(t, "--verbose"), Source: sessionrecord.Source{BootFile: "run1.yaml"}})
	var changed *ChangedError
	if !errors.As(err, &changed) || len(changed.Report.Changed) != 1 || changed.Report.Changed[0].Name != "app-001" {
		t.Fatalf("Run = %v, want a ChangedError naming app-001 only", err)
	}
	for _, a := range client.Actions() {
		switch a.GetVerb() {
		case "get", "list", "watch":
		default:
			t.Errorf("the refused boot sent %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
}
