package procreate

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apierror"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/apiretry"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// RequestTimeout bounds each create of a process (pod, service, and the
// undo of its pod). The creates do not follow the caller's ctx (see
// Creator.Pod), so they need a bound of their own.
const RequestTimeout = time.Minute

// Creator creates processes in a cluster.
type Creator struct {
	Client kubernetes.Interface
}

// Process is one process to create: its rendered pod and service (nil
// when it has none), in the same namespace, under the same name.
type Process struct {
	Pod     *corev1.Pod
	Service *corev1.Service
	// Replaces: the service replaces one deleted a moment ago, whose
	// cluster IP and node port the API may still hold for a moment: the
	// create is retried while they are "already allocated", and the
	// cluster IP is given up (a new one taken) if it stays taken.
	Replaces bool
}

// Create creates the pod, then its service owned by the pod; when the
// service is refused the pod is deleted again and the error says so. The
// requests outlive ctx's cancellation (each bounded by RequestTimeout), so
// an interrupted caller never leaves a pod without its service; ctx ends
// only the retries.
func (c *Creator) Create(ctx context.Context, p Process) (*corev1.Pod, *corev1.Service, error) {
	pod, err := c.Pod(ctx, p.Pod)
	if err != nil {
		return nil, nil, err
	}
	if p.Service == nil {
		return pod, nil, nil
	}
	svc, err := c.Service(ctx, p, pod)
	if err != nil {
		return nil, nil, err
	}
	return pod, svc, nil
}

// Pod creates a process's pod; the error is worded for the process's row
// ("pod refused: …").
func (c *Creator) Pod(ctx context.Context, pod *corev1.Pod) (*corev1.Pod, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RequestTimeout)
	defer cancel()
	made, err := c.createPod(rctx, ctx, pod)
	if err != nil {
		return nil, &RefusedError{Kind: "pod", Err: err}
	}
	return made, nil
}

// RefusedError: the API refused an object. It reads as the refusal in one
// line (Message) and unwraps to the API's error, so callers still tell
// AlreadyExists, Forbidden... apart (apierrors.Is*, errors.As).
type RefusedError struct {
	// Kind is what was refused: "pod".
	Kind string
	Err  error
}

func (e *RefusedError) Error() string { return e.Kind + " refused: " + Message(e.Err) }

func (e *RefusedError) Unwrap() error { return e.Err }

// Service creates p's service owned by pod (created by Pod); if the API
// refuses it, the pod is deleted again.
func (c *Creator) Service(ctx context.Context, p Process, pod *corev1.Pod) (*corev1.Service, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), RequestTimeout)
	defer cancel()
	svc := p.Service.DeepCopy()
	podspec.OwnService(svc, pod)
	made, err := c.createService(rctx, ctx, svc, pod.UID, p.Replaces)
	if err == nil {
		return made, nil
	}
	derr := c.Client.CoreV1().Pods(pod.Namespace).Delete(rctx, pod.Name, metav1.DeleteOptions{Preconditions: metav1.NewUIDPreconditions(string(pod.UID))})
	if derr == nil || apierrors.IsNotFound(derr) {
		return nil, &ServiceRefusedError{Err: err, PodDeleted: true}
	}
	return nil, &ServiceRefusedError{Err: err, DeleteErr: derr}
}

// ServiceRefusedError: the pod was created, its service was not.
type ServiceRefusedError struct {
	Err error
	// PodDeleted: the pod was deleted again; else DeleteErr says why not.
	PodDeleted bool
	DeleteErr  error
}

func (e *ServiceRefusedError) Error() string {
	if e.PodDeleted {
		return fmt.Sprintf("service refused: %s (its pod was deleted again)", Message(e.Err))
	}
	return fmt.Sprintf("service refused: %s; deleting its pod failed too: %s", Message(e.Err), Message(e.DeleteErr))
}

// Unwrap gives the refusal, and the failed delete of the pod if any.
func (e *ServiceRefusedError) Unwrap() []error {
	if e.DeleteErr != nil {
		return []error{e.Err, e.DeleteErr}
	}
	return []error{e.Err}
}

func (c *Creator) options() metav1.CreateOptions {
	return metav1.CreateOptions{FieldManager: FieldManager}
}

// createPod creates one pod (rctx bounds the requests, ctx the retries).
// Right after the namespace is created its default ServiceAccount may not
// exist yet; the apiserver already waits a second or two for it, so one
// more try is enough. A create that failed because the API was briefly
// away is tried again; when an earlier try did go through after all, the
// pod it made (same labels, so same uuid) is the result, not AlreadyExists.
func (c *Creator) createPod(rctx, ctx context.Context, pod *corev1.Pod) (*corev1.Pod, error) {
	pods := c.Client.CoreV1().Pods(pod.Namespace)
	saRetries := 0
	for attempt := 0; ; attempt++ {
		made, err := pods.Create(rctx, pod, c.options())
		switch {
		case err == nil:
			return made, nil
		case apierrors.IsAlreadyExists(err) && attempt > 0:
			if got, gerr := pods.Get(rctx, pod.Name, metav1.GetOptions{}); gerr == nil && sameLabels(got.Labels, pod.Labels) {
				return got, nil
			}
			return nil, err
		case apierrors.IsForbidden(err) && strings.Contains(err.Error(), "error looking up service account") && saRetries < 2:
			saRetries++
		case apiretry.Transient(err):
			if !apiretry.Sleep(ctx, apiretry.Backoff(attempt)) {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

// releaseBackoff bounds the retries of a service create whose cluster IP
// or node port the deleted service it replaces still holds: the apiserver
// releases them shortly after the delete returns.
var releaseBackoff = wait.Backoff{Duration: 50 * time.Millisecond, Factor: 1.5, Steps: 10, Cap: time.Second}

// createService creates the process's service (owned by owner), trying
// again like createPod while the API is briefly away, and, when it
// replaces a deleted one, while its address or port is still held. A
// service of that name already owned by this very pod is the result at
// any attempt: an earlier try went through, or a concurrent restart that
// took the same pod for its own created it.
func (c *Creator) createService(rctx, ctx context.Context, svc *corev1.Service, owner types.UID, replaces bool) (*corev1.Service, error) {
	services := c.Client.CoreV1().Services(svc.Namespace)
	release := releaseBackoff // a copy: Step counts down its Steps
	for attempt := 0; ; attempt++ {
		made, err := services.Create(rctx, svc, c.options())
		switch {
		case err == nil:
			return made, nil
		case apierrors.IsAlreadyExists(err):
			if got, gerr := services.Get(rctx, svc.Name, metav1.GetOptions{}); gerr == nil && ownedBy(got.OwnerReferences, owner) {
				return got, nil
			}
			return nil, err
		case replaces && isAllocated(err) && release.Steps > 0:
			if !apiretry.Sleep(ctx, release.Step()) {
				return nil, err
			}
		case replaces && isAllocated(err) && svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone:
			// The old address is still not free (or was taken): take a new
			// one, at the cost of the hostAliases that pointed at it.
			svc.Spec.ClusterIP, svc.Spec.ClusterIPs = "", nil
		case apiretry.Transient(err):
			if !apiretry.Sleep(ctx, apiretry.Backoff(attempt)) {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

// isAllocated: the create failed because an address or port it asks for
// is in use.
func isAllocated(err error) bool {
	return apierrors.IsInvalid(err) && strings.Contains(err.Error(), "already allocated")
}

// sameLabels tells whether have carries every label of want.
func sameLabels(have, want map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

func ownedBy(refs []metav1.OwnerReference, uid types.UID) bool {
	for _, r := range refs {
		if r.UID == uid {
			return true
		}
	}
	return false
}

// Message is the API's refusal in one line: its reason and message, with
// the RBAC fix when it is a missing permission.
func Message(err error) string {
	if apierrors.IsForbidden(err) && strings.Contains(err.Error(), " cannot ") {
		return apierror.Message(err)
	}
	if reason := apierrors.ReasonForError(err); reason != metav1.StatusReasonUnknown {
		return fmt.Sprintf("%s: %v", reason, err)
	}
	return err.Error()
}
