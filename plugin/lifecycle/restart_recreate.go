package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
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
}

func newRecreation(ctx context.Context, cfg Config) (*recreation, error) {
	r := &recreation{cfg: cfg, ctx: ctx, creator: procreate.Creator{Client: cfg.Client}, created: map[types.UID]string{}}
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

// recreateAll creates the processes again in the order given (boot
// order, bootOrder) and returns those to wait for.
func (r *recreation) recreateAll(order []toCreate, res *RestartResult) []types.NamespacedName {
	var expect []types.NamespacedName
	for _, it := range order {
		pl := it.plan
		rc := Recreated{Session: it.view.Session, Name: it.view.Name, UUID: it.view.UUID, From: pl.from, Service: pl.service}
		if rc.Session == "" {
			rc.Session = pl.pod.Namespace
		}
		if !it.gone {
			rc.Err = errors.New("its old pod is still there, so no new one was created")
		} else {
			rc.Pod, rc.Err = r.recreate(pl)
		}
		if rc.Pod != nil {
			name := rc.Session + "/" + rc.Name
			r.mu.Lock()
			r.created[rc.Pod.UID] = name
			r.mu.Unlock()
			if r.deleted.deletedForSure(rc.Pod.UID) {
				r.stopWait(fmt.Errorf("%s was deleted again right after restart created it (by another kill or restart?)", name))
			}
		}
		if rc.Err == nil {
			expect = append(expect, types.NamespacedName{Namespace: rc.Session, Name: rc.Name})
			progressf(r.cfg.Progress, "%s/%s recreated from its %s", rc.Session, rc.Name, rc.From)
		}
		res.Recreated = append(res.Recreated, rc)
	}
	return expect
}

// recreate creates the pod, then its service owned by it, as boot does
// (plugin/procreate: transient API errors retried, an earlier try that went
// through taken as the result, the pod deleted again when its service is
// refused). The new service replaces the old one: its cluster IP and node
// port are waited for, and the cluster IP given up if it stays taken.
func (r *recreation) recreate(pl *plan) (*corev1.Pod, error) {
	pod, err := r.creator.Pod(r.ctx, pl.pod)
	if err != nil || pl.service == nil {
		return pod, err
	}
	// The old service would go with the old pod through the garbage
	// collector, maybe after the new one is created: remove it now.
	if pl.oldSvc != nil {
		if err := deleteService(r.ctx, r.cfg.Client, pl.oldSvc, r.cfg.Cache.Keys()); err != nil {
			return pod, fmt.Errorf("deleting its old service: %w", err)
		}
	}
	_, err = r.creator.Service(r.ctx, procreate.Process{Pod: pl.pod, Service: pl.service, Replaces: true}, pod)
	var refused *procreate.ServiceRefusedError
	if errors.As(err, &refused) && refused.PodDeleted {
		return nil, err
	}
	return pod, err
}
