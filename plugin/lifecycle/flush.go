package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// Exited tells whether the pod's process has ended for good: its phase is
// Succeeded or Failed. Only such processes are flushed.
func Exited(p *corev1.Pod) bool {
	return p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed
}

// Flush deletes the pods (and their services) of the exited processes among
// pods; running ones are not touched. As in Kill, a service owned by its
// pod goes with it through the garbage collector; one without a pod owner
// is deleted here. It waits on the informer until the
// deleted pods are gone (bounded by the stage timeout) and returns them with
// their exit codes, in one stage named "flush".
func Flush(ctx context.Context, cfg Config, pods []*corev1.Pod) (*KillResult, error) {
	var exited []*corev1.Pod
	for _, p := range pods {
		if Exited(p) {
			exited = append(exited, p)
		}
	}
	res := &KillResult{}
	if len(exited) == 0 {
		return res, nil
	}
	keys := cfg.Cache.Keys()
	services := servicesOf(ctx, cfg.Client, exited, keys)
	sr := StageResult{Name: "flush", Processes: len(exited), Started: time.Now()}
	res.Killed = make([]Killed, len(exited))
	parallel(len(exited), cfg.inFlight(), func(i int) {
		p := exited[i]
		k := Killed{View: process.FromPod(p, keys), Stage: sr.Name, Exit: NoExit}
		if k.View.Exit != nil {
			k.Exit = *k.View.Exit
		}
		// An exited process has nothing left to stop: no grace needed.
		zero := int64(0)
		k.Err = deletePod(ctx, cfg.Client, p, &zero, keys)
		if errors.Is(k.Err, errReplaced) {
			k.Err = nil
		}
		k.Deleted = k.Err == nil
		res.Killed[i] = k
	})
	sr.Deleted = time.Now()
	timeout := cfg.StageTimeout
	if timeout == 0 {
		timeout = DefaultMargin
	}
	sr.Timeout = timeout
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	wres, werr := waitfor.Gone(waitCtx, cfg.Cache, exited)
	cancel()
	sr.Done = time.Now()
	if werr != nil {
		sr.TimedOut = true
		left := map[string]bool{}
		for _, u := range wres.Unmet {
			left[u.Session+"/"+u.Name] = true
		}
		for i := range res.Killed {
			k := &res.Killed[i]
			if k.Err == nil && left[k.View.Session+"/"+k.View.Name] {
				k.Err = fmt.Errorf("still there after %s", timeout)
			}
		}
	}
	var gone []*corev1.Pod
	for i := range res.Killed {
		if res.Killed[i].Err == nil {
			res.Killed[i].Gone = true
			gone = append(gone, exited[i])
		}
	}
	deleteServices(ctx, cfg, gone, services)
	res.Stages = []StageResult{sr}
	if ctx.Err() != nil {
		return res, context.Cause(ctx)
	}
	return res, nil
}
