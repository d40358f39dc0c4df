package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// Where a restarted process's new pod comes from.
const (
	FromBootRecord = "boot record"
	FromPodSpec    = "pod spec"
)

// RestartOptions tune Restart.
type RestartOptions struct {
	// Wait for the recreated processes to be Ready, bounded by ReadyTimeout.
	Wait         bool
	ReadyTimeout time.Duration
	// Probe, with Wait: once Ready, a process behind a NodePort (the LCS,
	// a root controller with a port) must answer on its node, as boot
	// checks it; every ProbeInterval (default 1 s) until ReadyTimeout.
	Probe         bool
	ProbeInterval time.Duration
}

func (o RestartOptions) probeInterval() time.Duration {
	if o.ProbeInterval > 0 {
		return o.ProbeInterval
	}
	return time.Second
}

// Recreated is one process restart.
type Recreated struct {
	Session, Name, UUID string
	// From is FromBootRecord or FromPodSpec.
	From string
	// Pod is the pod as created (nil when not created).
	Pod *corev1.Pod
	Err error
}

// RestartResult is the kill, then each recreation, then the wait.
type RestartResult struct {
	Kill      *KillResult
	Recreated []Recreated
	// Wait is the readiness wait's result (zero when not waited).
	Wait    waitfor.Result
	WaitErr error
}

// Err names every process that was not restarted, or not Ready in time.
func (r *RestartResult) Err() error {
	var errs []error
	if r.Kill != nil {
		errs = append(errs, r.Kill.Err())
	}
	for _, c := range r.Recreated {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("%s/%s not restarted: %w", c.Session, c.Name, c.Err))
		}
	}
	errs = append(errs, r.WaitErr)
	return errors.Join(errs...)
}

// plan is what one process becomes again.
type plan struct {
	old     *corev1.Pod
	oldSvc  *corev1.Service // nil: it had none
	pod     *corev1.Pod
	service *corev1.Service // nil: none to create
	from    string
}

// Restart kills the given processes (stage order, waited for), then
// recreates each under the same name, uuid, tree id and spec: from its boot
// record annotation when it has one (rendered again, as boot rendered it),
// else from its pod spec stripped of server-set fields (pods booted by
// drunc's Python manager). Its service is recreated too, owned by the new
// pod and keeping its ClusterIP. A process whose new pod cannot be worked
// out is not killed. The new pods are created in boot order, and with Wait
// the call returns once they are Ready (waitfor, as boot waits).
func Restart(ctx context.Context, cfg Config, pods []*corev1.Pod, o RestartOptions) (*RestartResult, error) {
	res := &RestartResult{}
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
	kill, err := Kill(ctx, cfg, toKill)
	res.Kill = kill
	if err != nil {
		return res, err
	}
	// A recreated pod deleted while we wait (another kill) ends the wait at
	// once, with that reason: the cache may never have shown it.
	wctx, stopWait := context.WithCancelCause(ctx)
	defer stopWait(nil)
	var createdMu sync.Mutex
	created := map[types.UID]string{}
	deleted, err := observeDeletionsWith(cfg.Cache, func(p *corev1.Pod) {
		createdMu.Lock()
		name, ok := created[p.UID]
		createdMu.Unlock()
		if ok {
			stopWait(fmt.Errorf("%s was deleted again while restart waited for it to be Ready (by another kill or restart?)", name))
		}
	})
	if err != nil {
		return res, err
	}
	defer deleted.stop()

	// Boot order is kill order reversed: the LCS first, applications last.
	var expect []types.NamespacedName
	services := map[types.NamespacedName]*corev1.Service{}
	for i := len(kill.Killed) - 1; i >= 0; i-- {
		k := kill.Killed[i]
		pl := byUID[k.View.UID]
		rc := Recreated{Session: k.View.Session, Name: k.View.Name, UUID: k.View.UUID, From: pl.from}
		switch {
		case !k.Gone:
			rc.Err = errors.New("its old pod is still there, so no new one was created")
		default:
			rc.Pod, rc.Err = recreate(ctx, cfg, pl)
			services[types.NamespacedName{Namespace: rc.Session, Name: rc.Name}] = pl.service
		}
		if rc.Pod != nil {
			name := rc.Session + "/" + rc.Name
			createdMu.Lock()
			created[rc.Pod.UID] = name
			createdMu.Unlock()
			if deleted.deletedForSure(rc.Pod.UID) {
				stopWait(fmt.Errorf("%s was deleted again right after restart created it (by another kill or restart?)", name))
			}
		}
		if rc.Err == nil {
			expect = append(expect, types.NamespacedName{Namespace: rc.Session, Name: rc.Name})
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%s/%s recreated from its %s\n", rc.Session, rc.Name, rc.From)
			}
		}
		res.Recreated = append(res.Recreated, rc)
	}
	if !o.Wait || len(expect) == 0 {
		return res, nil
	}
	want := map[types.NamespacedName]bool{}
	for _, k := range expect {
		want[k] = true
	}
	tctx, cancel := context.WithTimeout(wctx, o.ReadyTimeout)
	defer cancel()
	res.Wait, res.WaitErr = waitfor.Until(tctx, cfg.Cache, func(p *corev1.Pod) bool {
		return want[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}]
	}, waitfor.Condition{Kind: waitfor.Ready}, waitfor.Options{Expect: expect})
	if cause := context.Cause(wctx); res.WaitErr != nil && cause != nil && ctx.Err() == nil {
		res.WaitErr = cause
	}
	if res.WaitErr == nil && o.Probe {
		var errs []error
		for i := range res.Recreated {
			rc := &res.Recreated[i]
			if rc.Err == nil {
				errs = append(errs, probeRecreated(tctx, cfg, rc, services[types.NamespacedName{Namespace: rc.Session, Name: rc.Name}], o))
			}
		}
		res.WaitErr = errors.Join(errs...)
	}
	return res, ctx.Err()
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
		pl.pod, pl.service, err = fromBootRecord(text)
		if err != nil {
			return nil, err
		}
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

// fromBootRecord renders the process again exactly as boot rendered it.
func fromBootRecord(text string) (*corev1.Pod, *corev1.Service, error) {
	rec, err := session.DecodeBootRecord(text)
	if err != nil {
		return nil, nil, err
	}
	st := pmconfig.Default()
	if len(rec.Settings) > 0 {
		if err := json.Unmarshal(rec.Settings, st); err != nil {
			return nil, nil, fmt.Errorf("the settings in its boot record cannot be read: %w", err)
		}
	}
	objs, err := podspec.Render(rec.AsSession(), st, podspec.Options{RunAsUser: rec.RunAsUser, RunAsGroup: rec.RunAsGroup})
	if err != nil {
		return nil, nil, fmt.Errorf("its boot record does not render: %w", err)
	}
	r := objs.Processes[0]
	return r.Pod, r.Service, nil
}

// recreate creates the pod, then its service owned by it.
func recreate(ctx context.Context, cfg Config, pl *plan) (*corev1.Pod, error) {
	pod, err := cfg.Client.CoreV1().Pods(pl.pod.Namespace).Create(ctx, pl.pod, metav1.CreateOptions{})
	if err != nil {
		return nil, fmt.Errorf("creating its pod: %w", err)
	}
	if pl.service == nil {
		return pod, nil
	}
	// The old service would go with the old pod through the garbage
	// collector, maybe after the new one is created: remove it now.
	if pl.oldSvc != nil {
		if err := deleteService(ctx, cfg.Client, pl.oldSvc, cfg.Cache.Keys()); err != nil {
			return pod, fmt.Errorf("deleting its old service: %w", err)
		}
	}
	svc := pl.service.DeepCopy()
	podspec.OwnService(svc, pod)
	err = createService(ctx, cfg, svc)
	if isAllocated(err) && svc.Spec.ClusterIP != "" && svc.Spec.ClusterIP != corev1.ClusterIPNone {
		// The old address is still not free (or was taken): take a new
		// one, at the cost of the hostAliases that pointed at it.
		svc.Spec.ClusterIP = ""
		err = createService(ctx, cfg, svc)
	}
	if err != nil {
		return pod, fmt.Errorf("creating its service: %w", err)
	}
	return pod, nil
}

// releaseBackoff bounds the retries of a service create whose cluster IP
// or node port the deleted service still holds: the apiserver releases
// them shortly after the delete returns (sooner on an idle server).
var releaseBackoff = wait.Backoff{Duration: 50 * time.Millisecond, Factor: 1.5, Steps: 10, Cap: time.Second}

// createService creates svc, retrying while its address or port is still
// allocated to the service it replaces.
func createService(ctx context.Context, cfg Config, svc *corev1.Service) error {
	var err error
	_ = wait.ExponentialBackoffWithContext(ctx, releaseBackoff, func(ctx context.Context) (bool, error) {
		_, err = cfg.Client.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{})
		return !isAllocated(err), nil
	})
	return err
}

// isAllocated: the create failed because an address or port it asks for
// is in use.
func isAllocated(err error) bool {
	return apierrors.IsInvalid(err) && strings.Contains(err.Error(), "already allocated")
}
