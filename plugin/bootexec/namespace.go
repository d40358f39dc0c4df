package bootexec

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	watchtools "k8s.io/client-go/tools/watch"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/nswatch"
)

// createNamespace creates the session namespace. The create is the lock
// between two boots of one session: whoever gets AlreadyExists creates
// nothing. A live namespace is refused; a terminating one (a terminate or
// restart just before) is waited for up to cleanupWait, then created.
// It reads the namespace before creating it, so a boot of a session that
// exists writes nothing (and needs no right to create namespaces, which a
// namespace-scoped grant cannot give).
func createNamespace(ctx context.Context, client kubernetes.Interface, want *corev1.Namespace, cleanupWait time.Duration, onWait func()) error {
	name := want.Name
	for attempt := 0; attempt < 2; attempt++ {
		existing, err := client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			err := createActive(ctx, client, want)
			if !apierrors.IsAlreadyExists(err) {
				return err // nil: created
			}
			continue // made in between by another boot: read it
		case err != nil:
			return fmt.Errorf("cannot read namespace %q: %w", name, err)
		case existing.DeletionTimestamp == nil && existing.Status.Phase != corev1.NamespaceTerminating:
			return &SessionExistsError{Session: name}
		case attempt > 0:
			return &SessionExistsError{Session: name}
		}
		if onWait != nil {
			onWait()
		}
		err = waitNamespace(ctx, client, name, "deleted", nsGone, cleanupWait)
		if err != nil {
			return fmt.Errorf("session %q is still terminating after %s (cleanup.restart_cleanup_time); wait until `kubectl get namespace %s` finds nothing, then boot again: %w", name, cleanupWait, name, err)
		}
	}
	return &SessionExistsError{Session: name}
}

// createActive creates the namespace and waits until it is Active (the
// apiserver makes namespaces Active at creation). AlreadyExists is
// returned as is.
func createActive(ctx context.Context, client kubernetes.Interface, want *corev1.Namespace) error {
	ns, err := client.CoreV1().Namespaces().Create(ctx, want, metav1.CreateOptions{FieldManager: FieldManager})
	switch {
	case apierrors.IsAlreadyExists(err):
		return err
	case err != nil:
		return fmt.Errorf("cannot create the namespace of session %q: %w", want.Name, err)
	case ns.Status.Phase == corev1.NamespaceActive:
		return nil
	}
	return waitNamespace(ctx, client, want.Name, "Active", func(ns *corev1.Namespace) bool {
		return ns != nil && ns.Status.Phase == corev1.NamespaceActive
	}, time.Minute)
}

// waitNamespace watches one namespace until done(ns) holds (ns is nil once
// it is deleted), for at most within (plugin/nswatch).
func waitNamespace(ctx context.Context, client kubernetes.Interface, name, what string, done func(*corev1.Namespace) bool, within time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	err := nswatch.Until(ctx, client, name, done)
	if err != nil && (ctx.Err() != nil || errors.Is(err, watchtools.ErrWatchClosed)) {
		return fmt.Errorf("namespace %q not %s within %s: %w", name, what, within, context.Cause(ctx))
	}
	return err
}

func nsGone(ns *corev1.Namespace) bool { return ns == nil }
