package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// recreation creates the killed processes again and watches for a new pod
// being deleted (another kill) while restart waits for it.
type recreation struct {
	cfg     Config
	ctx     context.Context
	creator procreate.Creator
	// waitCtx ends, with the reason, when a recreated pod is deleted again:
	// the cache may never have shown it, so the wait would last its bound.
	waitCtx  context.Context
	stopWait context.CancelCauseFunc
	deleted  *finalStates

	mu      sync.Mutex
	created map[types.UID]string // new pod → session/name
	pods    map[types.NamespacedName]*corev1.Pod
}

func newRecreation(ctx context.Context, cfg Config) (*recreation, error) {
	r := &recreation{cfg: cfg, ctx: ctx, creator: procreate.Creator{Client: cfg.Client},
		created: map[types.UID]string{}, pods: map[types.NamespacedName]*corev1.Pod{}}
	r.waitCtx, r.stopWait = context.WithCancelCause(ctx)
	var err error
	r.deleted, err = observeDeletionsWith(cfg.Cache, func(p *corev1.Pod) {
		r.mu.Lock()
		name, ok := r.created[p.UID]
		r.mu.Unlock()
		if ok {
			r.stopWait(fmt.Errorf("%s was deleted again while restart waited for it to be Ready (by another kill or restart?)", name))
		}
	})
	if err != nil {
		r.stopWait(nil)
		return nil, err
	}
	return r, nil
}

func (r *recreation) stop() {
	r.deleted.stop()
	r.stopWait(nil)
}

// recreateStages creates the processes again stage by stage, in boot
// order, and returns those to wait for. As boot, a gate stage (the local
// connection server, the root controller) is passed before any later
// process of its session is created (passGates); when it does not pass,
// those processes are not created, each saying why.
func (r *recreation) recreateStages(stages []restartStage, o RestartOptions, res *RestartResult) []types.NamespacedName {
	blocked := map[string]error{} // session → why its later processes wait
	for i, st := range stages {
		first := len(res.Recreated)
		for _, it := range st.items {
			res.Recreated = append(res.Recreated, r.recreateOne(it, blocked[it.session()]))
		}
		if st.gate() != "" {
			r.passGates(st.gate(), res.Recreated[first:], stages[i+1:], o, res, blocked)
		}
	}
	var expect []types.NamespacedName
	for _, rc := range res.Recreated {
		if rc.Err == nil && !rc.gateFailed {
			expect = append(expect, types.NamespacedName{Namespace: rc.Session, Name: rc.Name})
		}
	}
	return expect
}

// recreateOne creates one process again, unless blocked says why a gate
// of its session keeps it from being created.
func (r *recreation) recreateOne(it toCreate, blocked error) Recreated {
	pl := it.plan
	rc := Recreated{Session: it.session(), Name: it.view.Name, UUID: it.view.UUID, From: pl.from, Service: pl.service, replaces: pl.replaces}
	switch {
	case blocked != nil:
		rc.Err = blocked
	case r.ctx.Err() != nil:
		rc.Err = errors.New("not created: restart was interrupted before it got to it")
	case !it.gone:
		rc.Err = errors.New("its old pod is still there, so no new one was created")
	default:
		rc.Pod, rc.ByOther, rc.Err = r.recreate(pl)
	}
	if rc.Pod != nil {
		name := rc.Session + "/" + rc.Name
		r.mu.Lock()
		r.created[rc.Pod.UID] = name
		r.pods[types.NamespacedName{Namespace: rc.Session, Name: rc.Name}] = rc.Pod
		r.mu.Unlock()
		if r.deleted.deletedForSure(rc.Pod.UID) {
			r.stopWait(fmt.Errorf("%s was deleted again right after restart created it (by another kill or restart?)", name))
		}
	}
	switch {
	case rc.Err == nil && rc.ByOther:
		progressf(r.cfg.Progress, "%s/%s restarted by another client at the same moment (its pod has the same uuid): waiting for it as for this restart's own", rc.Session, rc.Name)
	case rc.Err == nil:
		progressf(r.cfg.Progress, "%s/%s recreated from its %s", rc.Session, rc.Name, rc.From)
	}
	return rc
}

// recreate creates the pod, then its service owned by it, as boot does
// (plugin/procreate: transient API errors retried, an earlier try that went
// through taken as the result, the pod deleted again when its service is
// refused). The new service replaces the old one: its cluster IP and node
// port are waited for, and the cluster IP given up if it stays taken.
// byOther: another client created the same process at the same moment
// (createdByOther); its pod is the result, and its service is its own.
func (r *recreation) recreate(pl *plan) (pod *corev1.Pod, byOther bool, err error) {
	pod, err = r.creator.Pod(r.ctx, pl.pod)
	if apierrors.IsAlreadyExists(err) {
		pod, err = r.createdByOther(pl, err)
		return pod, err == nil, err
	}
	if err != nil || pl.service == nil {
		return pod, false, err
	}
	// The old service would go with the old pod through the garbage
	// collector, maybe after the new one is created: remove it now.
	if pl.oldSvc != nil {
		if err := deleteService(r.ctx, r.cfg.Client, pl.oldSvc, r.cfg.Cache.Keys()); err != nil {
			return pod, false, fmt.Errorf("deleting its old service: %w", err)
		}
	}
	_, err = r.creator.Service(r.ctx, procreate.Process{Pod: pl.pod, Service: pl.service, Replaces: true}, pod)
	var refused *procreate.ServiceRefusedError
	if errors.As(err, &refused) && refused.PodDeleted {
		return nil, false, err
	}
	return pod, false, err
}
