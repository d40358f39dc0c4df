package bootexec

import (
	"context"
	"errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
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
		if b.sessionGoes(wctx) {
			b.sessionDeleted.Store(true)
			cancel(errSessionDeleted)
		}
	}()
	return func() { stopWatch(); <-done }
}

// sessionPoll is how often the namespace is read when it cannot be watched.
var sessionPoll = 2 * time.Second

// sessionGoes waits until the session namespace is terminating or gone
// (true) or ctx ends (false). It watches the namespace; a namespace-scoped
// grant cannot list namespaces (so cannot watch one), and is left to read
// it every sessionPoll instead of a watch failing over and over.
func (b *booter) sessionGoes(ctx context.Context) bool {
	namespaces := b.cfg.Client.CoreV1().Namespaces()
	_, err := namespaces.List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", b.ns).String(), Limit: 1})
	if !apierrors.IsForbidden(err) {
		// A run never lasts a day; ctx (the run's) ends the watch before.
		return waitNamespace(ctx, b.cfg.Client, b.ns, "terminating", terminating, 24*time.Hour) == nil
	}
	for {
		ns, err := namespaces.Get(ctx, b.ns, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			return true
		case err == nil && terminating(ns):
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(sessionPoll):
		}
	}
}

func terminating(ns *corev1.Namespace) bool {
	return ns == nil || ns.DeletionTimestamp != nil || ns.Status.Phase == corev1.NamespaceTerminating
}

// stoppedWhy is why the run stopped before creating a process: Ctrl-C or
// its session going away.
func (b *booter) stoppedWhy() string {
	if b.sessionDeleted.Load() {
		return "not created: " + sessionDeletedWhy
	}
	return "interrupted before it was created"
}
