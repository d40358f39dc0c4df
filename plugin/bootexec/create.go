package bootexec

import (
	"context"
	"errors"
	"sync"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// createAll creates the processes of one stage and returns how many were
// created. It is a pipeline of two pools of MaxInFlight workers: pods, and
// the services of the pods already created. Pods go first so the scheduler
// and the kubelets start on them while services are still being created.
// It stops handing out work when ctx ends; creates already under way
// finish, and every pod created gets its service (or is deleted again).
func (b *booter) createAll(ctx context.Context, label string, procs []podspec.Rendered) *counter {
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
				if errors.Is(err, errCreatedByOther) {
					b.markRunning(procs[i].Process.Name)
					c.addByOther()
					continue
				}
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
	return c
}

// createProcessPod creates a process's pod (plugin/procreate: the request
// outlives Ctrl-C, so an interrupted boot never leaves a pod without its
// service) and remembers it for the rollback. In an existing session, a
// create refused while the process's previous pod terminates is made
// again once it is gone (again.go).
func (b *booter) createProcessPod(ctx context.Context, r *podspec.Rendered) (*corev1.Pod, error) {
	pod, err := b.creator.Pod(ctx, r.Pod)
	if err != nil && b.adopted && b.previousPodGone(ctx, r.Process.Name) {
		pod, err = b.creator.Pod(ctx, r.Pod) // its name is free now
	}
	if err != nil && b.createdByOther(r.Process.Name) {
		return nil, errCreatedByOther
	}
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	b.created[pod.Name] = pod.UID
	b.mu.Unlock()
	return pod, nil
}

// createProcessService creates the service of a created pod, owned by it;
// if the API refuses it, the pod is deleted again.
func (b *booter) createProcessService(ctx context.Context, r *podspec.Rendered, pod *corev1.Pod) error {
	replaces := b.replace[r.Process.Name]
	if b.adopted && !replaces {
		replaces = b.removeStaleService(ctx, r.Process.Name, pod.UID)
	}
	made, err := b.creator.Service(ctx, procreate.Process{Pod: r.Pod, Service: r.Service, Replaces: replaces}, pod)
	var refused *procreate.ServiceRefusedError
	if errors.As(err, &refused) && refused.PodDeleted {
		b.mu.Lock()
		delete(b.created, pod.Name)
		b.mu.Unlock()
	}
	if err != nil {
		return err
	}
	b.remember(r, r.Pod, pod)
	if lcs := b.objs.LCS(); lcs != nil && lcs.Process.Name == r.Process.Name {
		b.lcsIP = made.Spec.ClusterIP
	}
	return nil
}
