package logtail

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// follower streams one process (session/name) across its pods: it reads
// the current pod from the cache each time it wakes, streams it, resumes
// a dropped stream where it stopped, and moves to the new pod when the
// process is recreated.
type follower struct {
	e              *engine
	ns, name, proc string
	wakeup         chan struct{} // coalesced: the process's pod changed
	slots          chan struct{} // shared bound on open streams

	// tailFirst: the first pod existed when logs started, so it is tailed;
	// later pods (restarts) are new and printed from their start.
	tailFirst bool

	uid      types.UID
	opts     corev1.PodLogOptions // first request of this pod
	pos      position
	streamed bool // this pod was streamed before: resume, don't repeat
	finished bool // this pod's container exited and its log was read

	saidGone, saidWaiting, saidSlot, saidError bool
}

func (f *follower) wake() {
	select {
	case f.wakeup <- struct{}{}:
	default:
	}
}

// current is the process's pod in the cache, nil when it has none.
func (f *follower) current() *corev1.Pod {
	pod := f.e.cfg.Cache.Get(f.ns, f.name)
	if pod == nil || !f.e.cfg.selects(pod) {
		return nil
	}
	return pod
}

func (f *follower) run(ctx context.Context) {
	lo, hi := f.e.cfg.retryBounds()
	delay := lo
	for ctx.Err() == nil {
		pod := f.current()
		if pod == nil {
			if f.uid != "" && !f.saidGone {
				f.e.out.note(f.proc, "pod deleted: waiting for the process to come back")
				f.saidGone = true
			}
			if !f.sleep(ctx, 0) {
				return
			}
			continue
		}
		if pod.UID != f.uid {
			f.switchTo(pod)
			delay = lo
		}
		if f.finished || !started(pod) {
			if !f.finished && !f.saidWaiting {
				f.e.out.note(f.proc, "not started yet (%s): waiting", process.Status(pod))
				f.saidWaiting = true
			}
			if !f.sleep(ctx, 0) {
				return
			}
			continue
		}
		if !f.acquire(ctx) {
			continue
		}
		printed, replaced, err := f.stream(ctx, pod)
		<-f.slots
		switch {
		case ctx.Err() != nil:
			return
		case replaced:
			continue // the top of the loop names what happened
		case err == nil && terminated(f.latest(pod)):
			f.finished = true
			continue
		case err != nil && !f.saidError:
			f.e.out.note(f.proc, "log stream failed, retrying: %s", trimStatus(err))
			f.saidError = true
		}
		if printed > 0 {
			delay = lo
		}
		if !f.sleep(ctx, delay) {
			return
		}
		delay = min(2*delay, hi)
	}
}

// switchTo starts over with a new pod of the process.
func (f *follower) switchTo(pod *corev1.Pod) {
	first := f.uid == ""
	if !first {
		f.e.out.note(f.proc, "new pod (uid %s): following it from its start", pod.UID)
	}
	f.uid = pod.UID
	f.opts = f.e.cfg.options(pod, !(first && f.tailFirst))
	f.pos = position{}
	f.streamed, f.finished = false, false
	f.saidGone, f.saidWaiting, f.saidError = false, false, false
}

// latest is the cache's newest copy of pod (the stream may have ended
// because the container exited, which the cache may show by now).
func (f *follower) latest(pod *corev1.Pod) *corev1.Pod {
	if p := f.current(); p != nil && p.UID == pod.UID {
		return p
	}
	return pod
}

// acquire takes a stream slot; false when woken or ctx ended first (the
// caller re-evaluates the pod).
func (f *follower) acquire(ctx context.Context) bool {
	select {
	case f.slots <- struct{}{}:
		return true
	default:
	}
	if !f.saidSlot {
		f.e.out.note(f.proc, "waiting for a free log stream (--max-log-requests=%d)", cap(f.slots))
		f.saidSlot = true
	}
	select {
	case f.slots <- struct{}{}:
		return true
	case <-f.wakeup:
		return false
	case <-ctx.Done():
		return false
	}
}

// stream reads the pod's log until the stream ends or the pod is deleted
// or replaced (replaced = true; the stream is cancelled, since a kubelet
// may keep a follow stream of a deleted pod open).
func (f *follower) stream(ctx context.Context, pod *corev1.Pod) (printed int, replaced bool, err error) {
	opts := f.opts
	if f.streamed {
		opts = f.pos.resume(f.opts)
	}
	f.streamed = true
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- f.e.read(sctx, pod, opts, func(l Line) {
			if f.pos.accept(l) {
				printed++
				f.e.print(f.proc, l)
			}
		})
	}()
	for {
		select {
		case err = <-done:
			return printed, false, err
		case <-f.wakeup:
			if cur := f.current(); cur == nil || cur.UID != pod.UID {
				cancel()
				<-done   //nolint:errcheck // the stream ends because we cancelled it
				f.wake() // let the loop see the change
				return printed, true, nil
			}
		}
	}
}

// sleep waits for a wake-up, ctx, or d (0: no timeout); false when ctx ended.
func (f *follower) sleep(ctx context.Context, d time.Duration) bool {
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-f.wakeup:
	case <-timeout:
	}
	return true
}
