package bootexec

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// A process a boot creates again in an existing session may meet what is
// left of its previous pod (killed, restarted or flushed from another
// terminal a moment before): the pod itself, still terminating, or its
// service, which the garbage collector deletes only after the pod. Neither
// is a refusal: the boot waits for the pod to go, and removes the service
// itself, as restart does.

// goneMargin is added to a terminating pod's grace period to bound the
// wait for it (as kill's stages are bounded).
const goneMargin = 15 * time.Second

// previousPodGone is called after a pod create was refused in an existing
// session: it tells whether the process's name is free now, waiting (its
// grace period and goneMargin, within --timeout) for a pod that holds it
// while terminating. A live pod holding it is another boot's.
func (b *booter) previousPodGone(ctx context.Context, name string) bool {
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	p, err := b.cfg.Client.CoreV1().Pods(b.ns).Get(rctx, name, metav1.GetOptions{})
	cancel()
	switch {
	case apierrors.IsNotFound(err):
		return true
	case err != nil || p.DeletionTimestamp == nil:
		return false
	}
	wait := goneMargin
	if g := p.DeletionGracePeriodSeconds; g != nil {
		wait += time.Duration(*g) * time.Second
	}
	wctx, cancel := b.withDeadline(ctx, wait)
	defer cancel()
	_, err = waitfor.Gone(wctx, b.cache, []*corev1.Pod{p})
	return err == nil
}

// removeStaleService deletes the service named after the process when a
// pod other than owner owns it: its pod is gone (pods of one name exist
// one at a time) and the garbage collector has not got to it yet. It
// tells whether it deleted one: its cluster IP and node port may then be
// held a moment longer.
func (b *booter) removeStaleService(ctx context.Context, name string, owner types.UID) bool {
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	svcs := b.cfg.Client.CoreV1().Services(b.ns)
	svc, err := svcs.Get(rctx, name, metav1.GetOptions{})
	if err != nil || !ownedByOtherPod(svc, owner) {
		return false
	}
	err = svcs.Delete(rctx, name, metav1.DeleteOptions{Preconditions: metav1.NewUIDPreconditions(string(svc.UID))})
	return err == nil || apierrors.IsNotFound(err)
}

// ownedByOtherPod: the service's owner is a pod, not the one with UID uid.
func ownedByOtherPod(svc *corev1.Service, uid types.UID) bool {
	for _, ref := range svc.OwnerReferences {
		if ref.Kind == "Pod" {
			return ref.UID != uid
		}
	}
	return false
}
