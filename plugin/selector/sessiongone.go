package selector

import (
	"context"
	"fmt"
	"io"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/nswatch"
)

// UntilSessionGone returns ctx, ended also once the session of -n is gone
// (terminated: its namespace deleted), with a note on w: a stream of a
// session that no longer exists has nothing more to show (as kubectl logs
// -f ends with its pod). With -A, or when the namespace cannot be read
// (a role without it), it ends only with ctx.
func (t *Target) UntilSessionGone(ctx context.Context, w io.Writer) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	name := t.sel.Namespace
	if name == "" {
		return ctx, cancel
	}
	// One read first: a watch the role forbids would retry, and log, forever.
	sel := fields.OneTermEqualSelector("metadata.name", name).String()
	if _, err := t.Client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{FieldSelector: sel}); err != nil {
		return ctx, cancel
	}
	go func() {
		err := nswatch.Until(ctx, t.Client, name, func(ns *corev1.Namespace) bool { return ns == nil })
		if err == nil && ctx.Err() == nil {
			fmt.Fprintf(w, "session %q is gone (its namespace was deleted): nothing more to follow\n", name)
			cancel()
		}
	}()
	return ctx, cancel
}
