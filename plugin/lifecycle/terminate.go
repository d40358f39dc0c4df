package lifecycle

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// NamespaceResult is what terminate did with one session's namespace.
type NamespaceResult struct {
	Name string
	// Deleted: the delete was accepted (or it was already terminating).
	Deleted bool
	// Gone: it was seen gone (only when waiting).
	Gone bool
	// Kept says why the namespace was not deleted ("" when it was).
	Kept string
	Err  error
	// ns is the namespace as read before its deletion (its UID).
	ns *corev1.Namespace
}

// TerminateOptions tune Terminate.
type TerminateOptions struct {
	// Wait for each deleted namespace to be gone, bounded by Timeout.
	Wait    bool
	Timeout time.Duration
}

// TerminateResult is the kill of the sessions' processes, then what became
// of each namespace.
type TerminateResult struct {
	Kill       *KillResult
	Namespaces []NamespaceResult
}

// KeptChanges are the record changes of the kill (KilledChanges) in the
// sessions whose namespace was not deleted (kept, or the terminate was
// interrupted first): their records stay and must say Killed, not Lost.
func (r *TerminateResult) KeptChanges() Changes {
	if r.Kill == nil {
		return nil
	}
	out := KilledChanges(r.Kill.Killed)
	for _, n := range r.Namespaces {
		if n.Deleted {
			delete(out, n.Name)
		}
	}
	return out
}

// Err is non-nil when a process was not killed or a namespace that should
// have gone did not.
func (r *TerminateResult) Err() error {
	if err := r.Kill.Err(); err != nil {
		return err
	}
	for _, n := range r.Namespaces {
		if n.Err != nil {
			return fmt.Errorf("session %s: %w", n.Name, n.Err)
		}
	}
	return nil
}

// Terminate kills every given pod (the sessions' processes, in stage
// order) and deletes each session's namespace, but only one that carries
// the drunc creator label and holds nothing else: a namespace someone else
// made, or one that also holds objects drunc did not make, is kept, with
// the reason in NamespaceResult.Kept.
//
// A namespace is deleted as soon as every delete of its last stage was
// answered, while that stage's pods terminate: kube-controller-manager's
// namespace controller starts on a deleted namespace only 5 s after it
// sees the deletion (its namespaceDeletionGracePeriod), and that delay
// then runs alongside the last stage instead of after it. The order is
// kept: every pod of the namespace is already being deleted, and current
// namespace controllers delete the namespace's other objects (the last
// stage's services) only once its pods are gone. A namespace without processes is deleted when the kill starts. An
// interrupted kill deletes no namespace whose last stage it had not reached.
func Terminate(ctx context.Context, cfg Config, namespaces []string, pods []*corev1.Pod, o TerminateOptions) (*TerminateResult, error) {
	stages := KillStages(pods, cfg.Cache.Keys())
	d := newNamespaceDeletions(ctx, cfg, namespaces, stages)
	if len(stages) == 0 {
		d.startStage(-1)
	}
	kill, err := killStages(ctx, cfg, pods, stages, stageHooks{starting: d.start, deleted: d.release})
	res := &TerminateResult{Kill: kill, Namespaces: d.finish()}
	if err != nil {
		return res, err
	}
	if o.Wait {
		parallel(len(res.Namespaces), cfg.inFlight(), func(i int) {
			waitNamespace(ctx, cfg, &res.Namespaces[i], o.Timeout)
		})
	}
	for _, n := range res.Namespaces {
		if cfg.Progress != nil {
			switch {
			case n.Kept != "":
				fmt.Fprintf(cfg.Progress, "namespace %s kept: %s\n", n.Name, n.Kept)
			case n.Gone:
				fmt.Fprintf(cfg.Progress, "namespace %s deleted\n", n.Name)
			case n.Deleted && n.Err == nil:
				fmt.Fprintf(cfg.Progress, "namespace %s is being deleted\n", n.Name)
			}
		}
	}
	return res, ctx.Err()
}

// namespaceDeletions deletes each namespace once the deletes of its last
// kill stage were answered (see Terminate).
type namespaceDeletions struct {
	ctx   context.Context
	cfg   Config
	names []string
	// byStage: the namespaces (indexes into names) whose last stage it is;
	// stage -1 holds those without a process.
	byStage map[int][]int
	// released[stage+1] is closed once the stage's deletes were answered.
	released []chan struct{}
	over     chan struct{}
	results  []*NamespaceResult
	wg       sync.WaitGroup
}

func newNamespaceDeletions(ctx context.Context, cfg Config, names []string, stages []Stage) *namespaceDeletions {
	last := map[string]int{}
	for i, st := range stages {
		for _, p := range st.Pods {
			last[p.Namespace] = i
		}
	}
	d := &namespaceDeletions{ctx: ctx, cfg: cfg, names: names, byStage: map[int][]int{},
		released: make([]chan struct{}, len(stages)+1), over: make(chan struct{}), results: make([]*NamespaceResult, len(names))}
	for i := range d.released {
		d.released[i] = make(chan struct{})
	}
	for i, n := range names {
		stage, ok := last[n]
		if !ok {
			stage = -1
		}
		d.byStage[stage] = append(d.byStage[stage], i)
	}
	close(d.released[0])
	return d
}

// start is called as a stage's deletes are about to be sent; the first
// stage also starts the namespaces without a process.
func (d *namespaceDeletions) start(stage int) {
	if stage == 0 {
		d.startStage(-1)
	}
	d.startStage(stage)
}

// startStage checks, while the stage's deletes are sent, each namespace
// whose last stage it is, and deletes it once the stage is released.
func (d *namespaceDeletions) startStage(stage int) {
	idx := d.byStage[stage]
	if len(idx) == 0 {
		return
	}
	d.wg.Go(func() {
		parallel(len(idx), d.cfg.inFlight(), func(k int) {
			i := idx[k]
			d.results[i] = d.deleteAfter(d.names[i], d.released[stage+1])
		})
	})
}

func (d *namespaceDeletions) release(stage int) { close(d.released[stage+1]) }

// deleteAfter reads the namespace and, once released (nil if the kill ended
// first or was interrupted), deletes it if terminate may.
func (d *namespaceDeletions) deleteAfter(name string, released <-chan struct{}) *NamespaceResult {
	r := checkNamespace(d.ctx, d.cfg, name)
	select {
	case <-released:
	case <-d.over:
		select {
		case <-released:
		default:
			return nil
		}
	}
	if d.ctx.Err() != nil {
		return nil
	}
	if r.ns != nil && r.Kept == "" && r.Err == nil && !r.Gone {
		deleteNamespace(d.ctx, d.cfg, &r)
	}
	return &r
}

// finish is called once the kill ended: it waits for the deletions and
// returns the namespaces that were acted on, in the order given.
func (d *namespaceDeletions) finish() []NamespaceResult {
	close(d.over)
	d.wg.Wait()
	out := make([]NamespaceResult, 0, len(d.results))
	for _, r := range d.results {
		if r != nil {
			out = append(out, *r)
		}
	}
	return out
}
