package lifecycle

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/nswatch"
)

// checkNamespace reads a session's namespace and tells whether terminate
// may delete it: r.ns is set when it exists; r.Kept says why it may not
// (not made by drunc, or it holds objects drunc did not make); r.Gone when
// it no longer exists. One already terminating is Deleted.
func checkNamespace(ctx context.Context, cfg Config, name string) NamespaceResult {
	r := NamespaceResult{Name: name}
	keys := cfg.Cache.Keys()
	ns, err := cfg.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		r.Gone = true
		return r
	case err != nil:
		r.Err = err
		return r
	}
	r.ns = ns
	switch {
	case !Owned(ns, keys):
		r.Kept = fmt.Sprintf("it has no %s label, so drunc did not make it; its drunc processes were killed, the namespace and anything else in it are left alone", keys.Creator())
	case ns.DeletionTimestamp != nil:
		r.Deleted = true
	default:
		foreign, err := foreignObjects(ctx, cfg, name, keys)
		switch {
		case err != nil:
			r.Err = fmt.Errorf("listing what else is in the namespace before deleting it: %w", err)
		case len(foreign) > 0:
			r.Kept = fmt.Sprintf("it also holds %s, without the %s label, which deleting the namespace would delete; its drunc processes were killed (delete those objects, or the namespace yourself, to finish)", listSome(foreign), keys.Creator())
		}
	}
	return r
}

// deleteNamespace deletes exactly the namespace checkNamespace read (UID
// precondition), unless it is already terminating.
func deleteNamespace(ctx context.Context, cfg Config, r *NamespaceResult) {
	if r.Deleted {
		return
	}
	uid := r.ns.UID
	err := cfg.Client.CoreV1().Namespaces().Delete(ctx, r.Name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
	if err != nil && !apierrors.IsNotFound(err) {
		r.Err = err
		return
	}
	r.Deleted = true
}

// waitNamespace waits, bounded by timeout, until a deleted namespace is
// gone.
func waitNamespace(ctx context.Context, cfg Config, r *NamespaceResult, timeout time.Duration) {
	if !r.Deleted || r.Gone || r.Err != nil {
		return
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := namespaceGone(wctx, cfg, r.ns); err != nil {
		r.Err = fmt.Errorf("namespace still terminating after %s (see `kubectl get namespace %s -o yaml` for the conditions holding it): %w", timeout, r.Name, err)
		return
	}
	r.Gone = true
}

// namespaceGone waits until this namespace (by name and UID) is deleted.
func namespaceGone(ctx context.Context, cfg Config, ns *corev1.Namespace) error {
	return nswatch.Until(ctx, cfg.Client, ns.Name, func(n *corev1.Namespace) bool { return n == nil || n.UID != ns.UID })
}
