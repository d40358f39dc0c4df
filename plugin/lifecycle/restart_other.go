package lifecycle

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apiretry"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// createdByOther is called when the new pod was refused because a pod of
// that name exists (refused: the AlreadyExists): two terminals restarted
// the same process at the same moment, both found it without a pod, and
// the other one created it first. When the pod that holds the name has the
// uuid this restart would have given it, it is the same process, created
// from the same record: it is the result (its service is the other
// client's to create). A pod with another uuid (or none), or one being
// deleted, is another matter: the error names it and it is left alone.
func (r *recreation) createdByOther(pl *plan, refused error) (*corev1.Pod, error) {
	key := r.cfg.Cache.Keys().UUID()
	uuid := pl.pod.Labels[key]
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), procreate.RequestTimeout)
	defer cancel()
	var held *corev1.Pod
	err := apiretry.OnTransient(ctx, func() (err error) {
		held, err = r.cfg.Client.CoreV1().Pods(pl.pod.Namespace).Get(ctx, pl.pod.Name, metav1.GetOptions{})
		return err
	})
	name := pl.pod.Namespace + "/" + pl.pod.Name
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w; the pod %s that holds the name cannot be read: %w", refused, name, err)
	case uuid == "" || held.Labels[key] != uuid:
		return nil, fmt.Errorf("%w: the pod %s that holds the name has uuid %q, not %q: another process, left alone (kubectl drunc ps -n %s)",
			refused, name, held.Labels[key], uuid, pl.pod.Namespace)
	case held.DeletionTimestamp != nil:
		return nil, fmt.Errorf("%w: the pod %s that holds the name (same uuid) is being deleted; run restart again once it is gone", refused, name)
	}
	return held, nil
}
