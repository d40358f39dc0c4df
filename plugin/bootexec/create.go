package bootexec

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apierror"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// requestTimeout bounds each create of a process (pod, service); they
// outlive Ctrl-C (see createProcessPod), so they need a bound of their own.
const requestTimeout = time.Minute

// createAll creates the processes of one stage and returns how many were
// created. It is a pipeline of two pools of MaxInFlight workers: pods, and
// the services of the pods already created. Pods go first so the scheduler
// and the kubelets start on them while services are still being created.
// It stops handing out work when ctx ends; creates already under way
// finish, and every pod created gets its service (or is deleted again).
func (b *booter) createAll(ctx context.Context, label string, procs []podspec.Rendered) int {
	c := b.prog.counter(label, len(procs))
	workers := min(b.cfg.MaxInFlight, len(procs))
	jobs := make(chan int)
	made := make([]*corev1.Pod, len(procs))
	podDone := make(chan int, len(procs))
	var podWG, svcWG sync.WaitGroup
	for range workers {
		podWG.Go(func() {
			for i := range jobs {
				pod, err := b.createProcessPod(ctx, &procs[i])
				if err != nil {
					b.recordCreate(procs[i].Process.Name, err)
					c.add(false)
					continue
				}
				made[i] = pod
				podDone <- i
			}
		})
		svcWG.Go(func() {
			for i := range podDone {
				err := b.createProcessService(ctx, &procs[i], made[i])
				b.recordCreate(procs[i].Process.Name, err)
				c.add(err == nil)
			}
		})
	}
	next := 0
feed:
	for ; next < len(procs); next++ {
		if ctx.Err() != nil {
			break
		}
		select {
		case jobs <- next:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	podWG.Wait()
	close(podDone)
	svcWG.Wait()
	if next < len(procs) {
		b.res.Interrupted = true
		b.markNotCreated(procs[next:], b.stoppedWhy())
	}
	return c.ok
}

// createProcessPod creates a process's pod. The request does not follow
// ctx: once a pod is asked for, the run either gives it its service or
// deletes it again, so an interrupted boot never leaves a pod without its
// service.
func (b *booter) createProcessPod(ctx context.Context, r *podspec.Rendered) (*corev1.Pod, error) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
	defer cancel()
	pod, err := b.createPod(rctx, r.Pod)
	if err != nil {
		return nil, fmt.Errorf("pod refused: %s", apiMessage(err))
	}
	b.mu.Lock()
	b.created[pod.Name] = pod.UID
	b.mu.Unlock()
	return pod, nil
}

// createProcessService creates the service of a created pod, owned by it;
// if the API refuses it, the pod is deleted again.
func (b *booter) createProcessService(ctx context.Context, r *podspec.Rendered, pod *corev1.Pod) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), requestTimeout)
	defer cancel()
	svc := r.Service.DeepCopy()
	podspec.OwnService(svc, pod)
	made, err := b.createService(rctx, svc, pod.UID)
	if err != nil {
		pods := b.cfg.Client.CoreV1().Pods(b.ns)
		derr := pods.Delete(rctx, pod.Name, metav1.DeleteOptions{Preconditions: metav1.NewUIDPreconditions(string(pod.UID))})
		if derr == nil || apierrors.IsNotFound(derr) {
			b.mu.Lock()
			delete(b.created, pod.Name)
			b.mu.Unlock()
			return fmt.Errorf("service refused: %s (its pod was deleted again)", apiMessage(err))
		}
		return fmt.Errorf("service refused: %s; deleting its pod failed too: %s", apiMessage(err), apiMessage(derr))
	}
	if lcs := b.objs.LCS(); lcs != nil && lcs.Process.Name == r.Process.Name {
		b.lcsIP = made.Spec.ClusterIP
	}
	return nil
}

// createPod creates one pod. Right after the namespace is created its
// default ServiceAccount may not exist yet; the apiserver already waits a
// second or two for it, so one more try is enough. A create that failed
// because the API was briefly away (apiserver or etcd restarting) is tried
// again until ctx ends; when an earlier try did go through after all, the
// pod it made (same labels, so same uuid) is the result, not AlreadyExists.
func (b *booter) createPod(ctx context.Context, pod *corev1.Pod) (*corev1.Pod, error) {
	pods := b.cfg.Client.CoreV1().Pods(b.ns)
	saRetries := 0
	for attempt := 0; ; attempt++ {
		made, err := pods.Create(ctx, pod, metav1.CreateOptions{FieldManager: FieldManager})
		switch {
		case err == nil:
			return made, nil
		case apierrors.IsAlreadyExists(err) && attempt > 0:
			if got, gerr := pods.Get(ctx, pod.Name, metav1.GetOptions{}); gerr == nil && sameLabels(got.Labels, pod.Labels) {
				return got, nil
			}
			return nil, err
		case apierrors.IsForbidden(err) && strings.Contains(err.Error(), "error looking up service account") && saRetries < 2:
			saRetries++
		case transient(err):
			if !sleepCtx(ctx, retryBackoff(attempt)) {
				return nil, err
			}
		default:
			return nil, err
		}
	}
}

// createService creates the process's service (owned by its pod), trying
// again like createPod while the API is briefly away.
func (b *booter) createService(ctx context.Context, svc *corev1.Service, owner types.UID) (*corev1.Service, error) {
	services := b.cfg.Client.CoreV1().Services(b.ns)
	for attempt := 0; ; attempt++ {
		made, err := services.Create(ctx, svc, metav1.CreateOptions{FieldManager: FieldManager})
		switch {
		case err == nil:
			return made, nil
		case apierrors.IsAlreadyExists(err) && attempt > 0:
			if got, gerr := services.Get(ctx, svc.Name, metav1.GetOptions{}); gerr == nil && ownedBy(got.OwnerReferences, owner) {
				return got, nil
			}
			return nil, err
		case transient(err):
			if !sleepCtx(ctx, retryBackoff(attempt)) {
				return nil, err
			}
		default:
			return nil, err
		}
	}
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

// apiMessage is the API's refusal in one line: its reason and message, with
// the RBAC fix when it is a missing permission.
func apiMessage(err error) string {
	if apierrors.IsForbidden(err) && strings.Contains(err.Error(), " cannot ") {
		return apierror.Message(err)
	}
	if reason := apierrors.ReasonForError(err); reason != metav1.StatusReasonUnknown {
		return fmt.Sprintf("%s: %v", reason, err)
	}
	return err.Error()
}
