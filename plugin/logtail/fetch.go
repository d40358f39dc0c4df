package logtail

import (
	"context"
	"sort"
	"sync"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// fetch prints the selected processes' logs once. One process streams
// straight through; several are read (MaxRequests at a time) and printed
// merged in time order, each line whole.
func (e *engine) fetch(ctx context.Context) error {
	pods := e.cfg.Selected()
	var readable []*corev1.Pod
	for _, p := range pods {
		if !started(p) {
			e.out.note(procName(p), "%s", notStarted(p))
			continue
		}
		readable = append(readable, p)
	}
	failed := 0
	if len(readable) == 1 {
		p := readable[0]
		err := e.read(ctx, p, e.cfg.options(p, false), func(l Line) { e.print(procName(p), l) })
		if err != nil {
			e.failed(p, err)
			failed++
		}
	} else if len(readable) > 1 {
		failed = e.fetchMerged(ctx, readable)
	}
	if err := e.out.flush(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if failed > 0 {
		return &FailedError{Failed: failed, Total: len(pods)}
	}
	return nil
}

func (e *engine) print(proc string, l Line) {
	if e.fmt.keep(l) {
		e.out.line(e.fmt.format(proc, l))
	}
}

func (e *engine) failed(pod *corev1.Pod, err error) {
	if apierrors.IsNotFound(err) {
		e.out.note(procName(pod), "no logs: the pod is gone (deleted while reading)")
		return
	}
	e.out.note(procName(pod), "cannot read the logs: %s", trimStatus(err))
}

// stamped is a line with its process, for the merge.
type stamped struct {
	Line
	proc int
}

// fetchMerged reads every pod's lines, then prints them sorted by time;
// ties keep each process's own order, and lines without a timestamp take
// the previous line's. It returns how many pods failed.
func (e *engine) fetchMerged(ctx context.Context, pods []*corev1.Pod) int {
	lines := make([][]stamped, len(pods))
	errs := make([]error, len(pods))
	slots := make(chan struct{}, e.cfg.MaxRequests)
	var wg sync.WaitGroup
	for i, p := range pods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			defer func() { <-slots }()
			var prev Line
			errs[i] = e.read(ctx, p, e.cfg.options(p, false), func(l Line) {
				if l.Time.IsZero() {
					l.Time = prev.Time
				}
				prev = l
				lines[i] = append(lines[i], stamped{Line: l, proc: i})
			})
		}()
	}
	wg.Wait()

	failed := 0
	var all []stamped
	for i, p := range pods {
		if errs[i] != nil {
			e.failed(p, errs[i])
			failed++
		}
		all = append(all, lines[i]...)
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].Time.Before(all[b].Time) })
	for _, l := range all {
		e.print(procName(pods[l.proc]), l.Line)
	}
	return failed
}
