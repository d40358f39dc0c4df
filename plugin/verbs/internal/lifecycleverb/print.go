package lifecycleverb

import (
	"errors"
	"io"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apierror"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// Views turns what an engine did into the process table's rows: EXIT is
// the recorded exit code (-1 when none was), STATUS says what became of the
// process (done, e.g. "Killed", when its pod is gone, else its last status).
func Views(killed []lifecycle.Killed, done string) []process.View {
	out := make([]process.View, len(killed))
	for i, k := range killed {
		v := k.View
		exit := k.Exit
		v.Exit = &exit
		if k.Gone {
			v.Status = done
		}
		out[i] = v
	}
	return out
}

// Print writes the rows with the verb's output flags.
func Print(w io.Writer, pf *dprinters.Flags, views []process.View, allSessions bool) error {
	p, err := pf.ToPrinter()
	if err != nil {
		return err
	}
	return dprinters.Print(w, pf, p, views, dprinters.TableOptions{WithSession: allSessions})
}

// Explain rewrites per-process API errors a user fixes by asking for
// permissions (Forbidden, Unauthorized) into one sentence naming the fix.
func Explain(killed []lifecycle.Killed) {
	for i := range killed {
		if err := killed[i].Err; err != nil {
			if msg := apierror.Message(err); msg != err.Error() {
				killed[i].Err = errors.New(msg)
			}
		}
	}
}
