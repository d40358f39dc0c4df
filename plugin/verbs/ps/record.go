package ps

import (
	"context"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// The STATUS of a recorded process that has no pod: killed by kubectl
// drunc (until flushed, as drunc shows it), or gone without it (a pod
// deleted by hand, a lost node).
const (
	StatusKilled = string(sessionrecord.ClassKilled)
	StatusLost   = string(sessionrecord.ClassLost)
)

// goneClasses are the recorded processes without a pod that ps shows;
// flushed ones are forgotten, as drunc's flush forgets them.
var goneClasses = []sessionrecord.Class{sessionrecord.ClassKilled, sessionrecord.ClassLost}

// recordedGone is the Killed and Lost processes of the target's sessions,
// from their records (one LIST for all, see selector.Target.Recorded);
// pods are the cache's, as the table shows them. A record that cannot be
// read is reported on warn and skipped: ps never needs it.
func recordedGone(ctx context.Context, t *selector.Target, pods []*corev1.Pod, warn io.Writer) []selector.RecordedProcess {
	found, err := t.Recorded(ctx, pods, goneClasses...)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(warn, "Warning: killed and lost processes are not all shown: %v\n", err)
	}
	return found
}
