package status

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/selector"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// absent are the selected processes the session record lists without a
// pod: killed by kubectl drunc (until flushed), or lost (deleted another
// way, or with their node). A record that cannot be read is a warning:
// the pods are still reported.
func (o *Options) absent(ctx context.Context, pods []*corev1.Pod) []health.Absent {
	client, err := o.f.Clientset()
	if err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed and lost processes not shown: %v\n", err)
		return nil
	}
	found, err := o.Select.Selector.Recorded(ctx, client, selector.Sessions(o.Select.Namespace, pods), pods, sessionrecord.ClassKilled, sessionrecord.ClassLost)
	if err != nil {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: killed and lost processes not shown: %v\n", err)
	}
	out := make([]health.Absent, 0, len(found))
	for _, r := range found {
		e := r.Entry
		out = append(out, health.Absent{Session: r.Session, Name: e.Name, UUID: e.UUID, Host: e.Host, Role: e.Role, Killed: r.Class == sessionrecord.ClassKilled})
	}
	return out
}
