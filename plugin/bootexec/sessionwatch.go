package bootexec

import (
	"context"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// errSessionDeleted ends a run whose namespace is being deleted under it.
var errSessionDeleted = errors.New("the session namespace is being deleted")

// sessionDeletedWhy is what the summary says of the processes a run did
// not get to, and why it stopped.
const sessionDeletedWhy = "its namespace is being deleted (kubectl drunc terminate or kubectl delete namespace from elsewhere)"

// watchSession stops the run (cancels with errSessionDeleted) as soon as
// the session namespace is terminating or gone: a terminate from another
// terminal must end the boot at once, not leave it creating into a dying
// namespace and then waiting for pods that will never come until --timeout.
// It returns a func that stops the watch.
func (b *booter) watchSession(ctx context.Context, cancel context.CancelCauseFunc) (stop func()) {
	wctx, stopWatch := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		// A run never lasts a day; ctx (the run's) ends the watch before.
		err := waitNamespace(wctx, b.cfg.Client, b.ns, "terminating", func(ns *corev1.Namespace) bool {
			return ns == nil || ns.DeletionTimestamp != nil || ns.Status.Phase == corev1.NamespaceTerminating
		}, 24*time.Hour)
		if err == nil {
			b.sessionDeleted.Store(true)
			cancel(errSessionDeleted)
		}
	}()
	return func() { stopWatch(); <-done }
}

// stoppedWhy is why the run stopped before creating a process: Ctrl-C or
// its session going away.
func (b *booter) stoppedWhy() string {
	if b.sessionDeleted.Load() {
		return "not created: " + sessionDeletedWhy
	}
	return "interrupted before it was created"
}
