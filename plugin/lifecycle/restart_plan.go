package lifecycle

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// plan is what one process becomes again.
type plan struct {
	old     *corev1.Pod
	oldSvc  *corev1.Service // nil: it had none
	pod     *corev1.Pod
	service *corev1.Service // nil: none to create
	from    string
	// replaces: the pod a Lost process's record names, gone (see
	// sessionrecord.BootedChange.Replaces).
	replaces types.UID
}

// planAll works out every process's new objects (in parallel: each reads
// its pod and service). The processes that cannot be planned are recorded
// as not restarted and are not killed; the others are returned to kill,
// with their plans by pod UID.
func planAll(ctx context.Context, cfg Config, pods []*corev1.Pod, res *RestartResult) ([]*corev1.Pod, map[types.UID]*plan) {
	plans := make([]*plan, len(pods))
	errs := make([]error, len(pods))
	parallel(len(pods), cfg.inFlight(), func(i int) {
		plans[i], errs[i] = planRestart(ctx, cfg, pods[i])
	})
	var toKill []*corev1.Pod
	byUID := map[types.UID]*plan{}
	for i, p := range pods {
		if errs[i] != nil {
			res.Recreated = append(res.Recreated, Recreated{Session: p.Namespace, Name: p.Name, UUID: p.Labels[cfg.Cache.Keys().UUID()], Err: errs[i]})
			continue
		}
		toKill = append(toKill, p)
		byUID[p.UID] = plans[i]
	}
	return toKill, byUID
}

// planRestart reads the full pod and its service (the cache keeps trimmed
// pods) and works out the objects to create again.
func planRestart(ctx context.Context, cfg Config, cached *corev1.Pod) (*plan, error) {
	keys := cfg.Cache.Keys()
	if !Owned(cached, keys) {
		return nil, errNotOwned("pod", cached.Namespace, cached.Name, keys)
	}
	old, err := cfg.Client.CoreV1().Pods(cached.Namespace).Get(ctx, cached.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err) || err == nil && old.UID != cached.UID:
		return nil, errors.New("its pod changed since it was selected (deleted or restarted by someone else); run the command again")
	case err != nil:
		return nil, err
	}
	var oldSvc *corev1.Service
	svc, err := cfg.Client.CoreV1().Services(old.Namespace).Get(ctx, old.Name, metav1.GetOptions{})
	switch {
	case err == nil && Owned(svc, keys) && serviceOf(svc, old):
		oldSvc = svc
	case err != nil && !apierrors.IsNotFound(err):
		return nil, fmt.Errorf("reading its service: %w", err)
	}

	pl := &plan{old: old, oldSvc: oldSvc}
	if text, ok := old.Annotations[session.BootRecordAnnotation]; ok {
		pl.from = FromBootRecord
		p, err := procreate.FromBootRecord(text)
		if err != nil {
			return nil, err
		}
		pl.pod, pl.service = p.Pod, p.Service
		// What the boot executor added after rendering: the address the
		// LCS is reached at.
		pl.pod.Spec.HostAliases = old.Spec.HostAliases
	} else {
		pl.from = FromPodSpec
		pl.pod = StripPod(old)
		if oldSvc != nil {
			pl.service = StripService(oldSvc)
		}
	}
	if pl.service != nil && oldSvc != nil && oldSvc.Spec.ClusterIP != corev1.ClusterIPNone {
		pl.service.Spec.ClusterIP = oldSvc.Spec.ClusterIP
	}
	return pl, nil
}
