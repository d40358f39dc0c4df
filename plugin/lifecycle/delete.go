package lifecycle

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apiretry"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// errReplaced: the name now belongs to another pod (a concurrent restart
// recreated it); the pod we meant to delete is gone and the new one stays.
var errReplaced = errors.New("replaced by a new pod of the same name, which was left alone")

// errNotOwned refuses objects drunc did not make.
func errNotOwned(kind, namespace, name string, keys session.LabelKeys) error {
	return fmt.Errorf("%s %s/%s has no %s label: it was not made by drunc and is left alone", kind, namespace, name, keys.Creator())
}

// deletePod deletes exactly this pod (UID precondition) with the grace
// period (nil: the pod's own), riding out a brief API outage. Already gone
// is success; errReplaced says the name was taken over meanwhile.
func deletePod(ctx context.Context, c kubernetes.Interface, pod *corev1.Pod, grace *int64, keys session.LabelKeys) error {
	if !Owned(pod, keys) {
		return errNotOwned("pod", pod.Namespace, pod.Name, keys)
	}
	uid := pod.UID
	err := apiretry.OnTransient(ctx, func() error {
		return c.CoreV1().Pods(pod.Namespace).Delete(ctx, pod.Name, metav1.DeleteOptions{
			GracePeriodSeconds: grace,
			Preconditions:      &metav1.Preconditions{UID: &uid},
		})
	})
	switch {
	case err == nil, apierrors.IsNotFound(err):
		return nil
	case apierrors.IsConflict(err):
		return errReplaced
	}
	return err
}

// deleteService deletes exactly this service if drunc made it.
func deleteService(ctx context.Context, c kubernetes.Interface, svc *corev1.Service, keys session.LabelKeys) error {
	if !Owned(svc, keys) {
		return errNotOwned("service", svc.Namespace, svc.Name, keys)
	}
	uid := svc.UID
	err := apiretry.OnTransient(ctx, func() error {
		return c.CoreV1().Services(svc.Namespace).Delete(ctx, svc.Name, metav1.DeleteOptions{
			Preconditions: &metav1.Preconditions{UID: &uid},
		})
	})
	if err == nil || apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return nil
	}
	return err
}

// serviceOf tells whether svc is the service of pod: same name, and either
// owned by this very pod or by no pod at all (drunc's Python manager may
// create services without an owner reference).
func serviceOf(svc *corev1.Service, pod *corev1.Pod) bool {
	if svc.Name != pod.Name || svc.Namespace != pod.Namespace {
		return false
	}
	owner := podOwner(svc)
	return owner == nil || owner.UID == pod.UID
}

// orphanedBy tells whether svc is pod's service and nothing will collect
// it once the pod is gone: it has no pod owner. A service owned by the pod
// (what boot creates) is removed by the garbage collector with its pod, so
// a kill does not spend API requests on it while the next stage runs.
func orphanedBy(svc *corev1.Service, pod *corev1.Pod) bool {
	return serviceOf(svc, pod) && podOwner(svc) == nil
}

func podOwner(svc *corev1.Service) *metav1.OwnerReference {
	for i := range svc.OwnerReferences {
		if svc.OwnerReferences[i].Kind == "Pod" {
			return &svc.OwnerReferences[i]
		}
	}
	return nil
}
