package lifecycle

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
)

// NamespaceResult is what terminate did with one session's namespace.
type NamespaceResult struct {
	Name string
	// Deleted: the delete was accepted (or it was already terminating).
	Deleted bool
	// Gone: it was seen gone (only when waiting).
	Gone bool
	// Kept says why the namespace was not deleted ("" when it was).
	Kept string
	Err  error
}

// TerminateOptions tune Terminate.
type TerminateOptions struct {
	// Wait for each deleted namespace to be gone, bounded by Timeout.
	Wait    bool
	Timeout time.Duration
}

// TerminateResult is the kill of the sessions' processes, then what became
// of each namespace.
type TerminateResult struct {
	Kill       *KillResult
	Namespaces []NamespaceResult
}

// Err is non-nil when a process was not killed or a namespace that should
// have gone did not.
func (r *TerminateResult) Err() error {
	if err := r.Kill.Err(); err != nil {
		return err
	}
	for _, n := range r.Namespaces {
		if n.Err != nil {
			return fmt.Errorf("session %s: %w", n.Name, n.Err)
		}
	}
	return nil
}

// Terminate kills every given pod (the sessions' processes, in stage
// order), then deletes each session's namespace, but only one that carries
// the drunc creator label: a namespace someone else made is kept, with the
// reason in NamespaceResult.Kept.
func Terminate(ctx context.Context, cfg Config, namespaces []string, pods []*corev1.Pod, o TerminateOptions) (*TerminateResult, error) {
	kill, err := Kill(ctx, cfg, pods)
	res := &TerminateResult{Kill: kill}
	if err != nil {
		return res, err
	}
	res.Namespaces = make([]NamespaceResult, len(namespaces))
	parallel(len(namespaces), cfg.inFlight(), func(i int) {
		res.Namespaces[i] = terminateNamespace(ctx, cfg, namespaces[i], o)
	})
	for _, n := range res.Namespaces {
		if cfg.Progress != nil {
			switch {
			case n.Kept != "":
				fmt.Fprintf(cfg.Progress, "namespace %s kept: %s\n", n.Name, n.Kept)
			case n.Gone:
				fmt.Fprintf(cfg.Progress, "namespace %s deleted\n", n.Name)
			case n.Deleted && n.Err == nil:
				fmt.Fprintf(cfg.Progress, "namespace %s is being deleted\n", n.Name)
			}
		}
	}
	return res, ctx.Err()
}

func terminateNamespace(ctx context.Context, cfg Config, name string, o TerminateOptions) NamespaceResult {
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
	case !Owned(ns, keys):
		r.Kept = fmt.Sprintf("it has no %s label, so drunc did not make it; its drunc processes were killed, the namespace and anything else in it are left alone", keys.Creator())
		return r
	}
	if ns.DeletionTimestamp == nil {
		foreign, err := foreignObjects(ctx, cfg, name, keys)
		if err != nil {
			r.Err = fmt.Errorf("listing what else is in the namespace before deleting it: %w", err)
			return r
		}
		if len(foreign) > 0 {
			r.Kept = fmt.Sprintf("it also holds %s, without the %s label, which deleting the namespace would delete; its drunc processes were killed (delete those objects, or the namespace yourself, to finish)", listSome(foreign), keys.Creator())
			return r
		}
		uid := ns.UID
		err = cfg.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid}})
		if err != nil && !apierrors.IsNotFound(err) {
			r.Err = err
			return r
		}
	}
	r.Deleted = true
	if !o.Wait {
		return r
	}
	wctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	if err := namespaceGone(wctx, cfg, ns); err != nil {
		r.Err = fmt.Errorf("namespace still terminating after %s (see `kubectl get namespace %s -o yaml` for the conditions holding it): %w", o.Timeout, name, err)
		return r
	}
	r.Gone = true
	return r
}

// namespaceGone watches this one namespace (by name) until it is deleted,
// surviving watch restarts as UntilWithSync does.
func namespaceGone(ctx context.Context, cfg Config, ns *corev1.Namespace) error {
	sel := fields.OneTermEqualSelector("metadata.name", ns.Name).String()
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = sel
			return cfg.Client.CoreV1().Namespaces().List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = sel
			return cfg.Client.CoreV1().Namespaces().Watch(ctx, o)
		},
	}
	gone := func(store cache.Store) (bool, error) {
		for _, obj := range store.List() {
			if n, ok := obj.(*corev1.Namespace); ok && n.UID == ns.UID {
				return false, nil
			}
		}
		return true, nil
	}
	_, err := watchtools.UntilWithSync(ctx, lw, &corev1.Namespace{}, gone, func(ev watch.Event) (bool, error) {
		return ev.Type == watch.Deleted, nil
	})
	return err
}
