package logtail

import (
	"context"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
)

// follow streams every selected process until ctx ends. Each process
// (session/name) has a follower for the whole run; informer events wake
// it, so a process that appears later, or whose pod is recreated under
// the same name (restart), is picked up without polling.
func (e *engine) follow(ctx context.Context) error {
	initial := e.cfg.Selected()
	if len(initial) > e.cfg.MaxRequests {
		return &TooManyStreamsError{Streams: len(initial), Max: e.cfg.MaxRequests}
	}
	existing := make(map[types.UID]bool, len(initial))
	for _, p := range initial {
		existing[p.UID] = true
	}

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		followers = map[string]*follower{}
		slots     = make(chan struct{}, e.cfg.MaxRequests)
	)
	wake := func(obj any) {
		pod := podOf(obj)
		if pod == nil {
			return
		}
		key := procName(pod)
		mu.Lock()
		defer mu.Unlock()
		f, ok := followers[key]
		if !ok {
			if !e.cfg.selects(pod) || ctx.Err() != nil {
				return
			}
			f = &follower{
				e: e, ns: pod.Namespace, name: pod.Name, proc: key,
				wakeup: make(chan struct{}, 1), slots: slots,
				tailFirst: existing[pod.UID],
			}
			followers[key] = f
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.run(ctx)
			}()
		}
		f.wake()
	}
	reg, err := e.cfg.Cache.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    wake,
		UpdateFunc: func(_, obj any) { wake(obj) },
		DeleteFunc: wake,
	})
	if err != nil {
		return err
	}
	if len(initial) == 0 {
		scope := "any session"
		if ns := e.cfg.Cache.Namespace(); ns != "" {
			scope = "session " + ns
		}
		e.out.note("logs", "no process selected in %s yet: waiting for one to appear (Ctrl-C to stop)", scope)
	}
	<-ctx.Done()
	_ = e.cfg.Cache.RemoveEventHandler(reg)
	wg.Wait()
	return e.out.flush()
}

// podOf returns the pod of an informer event, tombstones included.
func podOf(obj any) *corev1.Pod {
	switch o := obj.(type) {
	case *corev1.Pod:
		return o
	case cache.DeletedFinalStateUnknown:
		p, _ := o.Obj.(*corev1.Pod)
		return p
	}
	return nil
}
