package ps

import (
	"context"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
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

// gone is a recorded process without a pod: the pod its record describes
// stands in for it, and the row shows the class instead of a pod status.
type gone struct {
	pod    *corev1.Pod
	status string
	exit   *int32
}

// recordedGone is the Killed and Lost processes of the target's sessions,
// from their records (one LIST for all, see selector.Target.Recorded);
// pods are the cache's, as the table shows them. A record that cannot be
// read is reported on warn and skipped: ps never needs it.
func recordedGone(ctx context.Context, t *selector.Target, pods []*corev1.Pod, warn io.Writer) []gone {
	found, err := t.Recorded(ctx, pods, goneClasses...)
	if err != nil && ctx.Err() == nil {
		fmt.Fprintf(warn, "Warning: killed and lost processes are not all shown: %v\n", err)
	}
	out := make([]gone, len(found))
	for i := range found {
		out[i] = goneOf(&found[i])
	}
	return out
}

// goneOf is the row of a recorded process without a pod: Killed with its
// recorded exit code (-1 if it ran), or Lost.
func goneOf(rp *selector.RecordedProcess) gone {
	pod, status, exit := rp.Shown()
	return gone{pod: pod, status: status, exit: exit}
}

// withRecord returns the selected views of the live pods and of the
// recorded processes without one, all in the session's order.
func withRecord(pods []*corev1.Pod, gones []gone, keys session.LabelKeys, keep func(*corev1.Pod) bool) []process.View {
	byPod := make(map[*corev1.Pod]*gone, len(gones))
	all := append([]*corev1.Pod(nil), pods...)
	for i := range gones {
		byPod[gones[i].pod] = &gones[i]
		all = append(all, gones[i].pod)
	}
	views := process.Selected(all, keys, keep)
	for i := range views {
		if g, ok := byPod[views[i].Pod]; ok {
			views[i].Status, views[i].Exit, views[i].State = g.status, g.exit, process.Dead
			views[i].IP, views[i].Ready = "", false
		}
	}
	return views
}
