package lifecycleverb

import (
	"context"
	"fmt"
	"io"

	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
)

// KilledMeaning is what a kill the session record missed means (kill, and
// terminate of a namespace it keeps).
const KilledMeaning = "ps and status show the killed processes as Lost instead of Killed; restart still brings them back"

// Record writes the changes to the session records. The cluster was
// changed already and the record is never required, so a failed write is
// a warning on w saying what it means, not a failed command.
func Record(ctx context.Context, w io.Writer, client kubernetes.Interface, changes lifecycle.Changes, meaning string) {
	if len(changes) == 0 {
		return
	}
	if err := lifecycle.Record(ctx, client, changes); err != nil {
		fmt.Fprintf(w, "Warning: the session record was not updated (%v): %s\n", err, meaning)
	}
}
