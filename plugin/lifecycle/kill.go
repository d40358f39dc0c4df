package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// NoExit is the exit code reported for a process whose exit was never
// recorded (it was still running, or its pod vanished without a status):
// the session record's.
const NoExit = sessionrecord.NoExit

// Killed is one process a kill acted on.
type Killed struct {
	// View is the process's last state seen before it went.
	View  process.View
	Stage string
	// Exit is the recorded exit code, NoExit when none was.
	Exit int32
	// Gone: the pod is gone from the cluster (or was replaced).
	Gone bool
	// Deleted: its DELETE was accepted (or it was already gone or
	// replaced): the pod goes, even when the wait for it did not end (a
	// stage timeout, Ctrl-C). The session record says so.
	Deleted bool
	// Err says why the process was not killed (delete refused or failed,
	// or its stage timed out).
	Err error
}

// StageResult is how one stage went.
type StageResult struct {
	Name      string
	Processes int
	// Started: the first delete was sent; Deleted: every delete was
	// answered; Done: every pod was seen gone (or the stage gave up).
	Started, Deleted, Done time.Time
	TimedOut               bool
	Timeout                time.Duration
}

// KillResult is what a kill did, stage by stage and process by process.
type KillResult struct {
	Stages []StageResult
	// Killed in kill order.
	Killed []Killed
}

// Err is non-nil when a process was not killed: a stage timed out or a
// delete failed. It names each such process.
func (r *KillResult) Err() error {
	var lines []string
	for _, k := range r.Killed {
		if k.Err != nil {
			lines = append(lines, fmt.Sprintf("  %s/%s (%s): %v", k.View.Session, k.View.Name, k.Stage, k.Err))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("%d of %d processes were not killed:\n%s", len(lines), len(r.Killed), strings.Join(lines, "\n"))
}

// Kill deletes the pods in drunc's stage order (see KillStages). Each stage
// waits on the shared informer until its pods are gone, bounded by the
// stage timeout; a stage that times out is reported and the next one
// proceeds, as drunc does. The error is only for an interrupted
// kill (ctx); per-process failures are in the result (see KillResult.Err).
//
// Services owned by their pod (as boot and drunc's current manager create
// them) go with it through the garbage collector; a service without a pod
// owner (older drunc releases) is deleted once its pod is gone.
func Kill(ctx context.Context, cfg Config, pods []*corev1.Pod) (*KillResult, error) {
	return killStages(ctx, cfg, pods, KillStages(pods, cfg.Cache.Keys()), stageHooks{})
}

// stageHooks are called by killStages at each stage's boundaries, with the
// stage's index, synchronously: a hook that takes time starts a goroutine.
type stageHooks struct {
	// starting: the stage's deletes are about to be sent.
	starting func(stage int)
	// deleted: every delete of the stage was answered; its pods may still
	// be terminating.
	deleted func(stage int)
}

func (h stageHooks) call(f func(int), stage int) {
	if f != nil {
		f(stage)
	}
}

// killStages is Kill over stages already ordered (KillStages of pods).
func killStages(ctx context.Context, cfg Config, pods []*corev1.Pod, stages []Stage, hooks stageHooks) (*KillResult, error) {
	keys := cfg.Cache.Keys()
	seen, err := observeDeletions(cfg.Cache)
	if err != nil {
		return nil, err
	}
	defer seen.stop()
	// The services are only needed once the first stage is gone: list them
	// meanwhile, not before the first delete.
	listed := make(chan map[types.NamespacedName]*corev1.Service, 1)
	go func() { listed <- servicesOf(ctx, cfg.Client, pods, keys) }()
	var services map[types.NamespacedName]*corev1.Service
	var svcWG sync.WaitGroup
	defer svcWG.Wait()

	res := &KillResult{}
	for i, st := range stages {
		hooks.call(hooks.starting, i)
		sr, killed := killStage(ctx, cfg, st, seen, func() { hooks.call(hooks.deleted, i) })
		res.Stages = append(res.Stages, sr)
		res.Killed = append(res.Killed, killed...)
		cfg.progress(sr, killed)
		if ctx.Err() != nil {
			return res, context.Cause(ctx)
		}
		// The services go in the background: the next stage does not
		// depend on them.
		var gone []*corev1.Pod
		for j, k := range killed {
			if k.Gone {
				gone = append(gone, st.Pods[j])
			}
		}
		if services == nil {
			services = <-listed
		}
		svcWG.Add(1)
		go func() {
			defer svcWG.Done()
			deleteServices(ctx, cfg, gone, services)
		}()
	}
	return res, nil
}

// killStage deletes one stage's pods and waits until they are gone; deleted
// is called once every delete was answered, before the wait.
func killStage(ctx context.Context, cfg Config, st Stage, seen *finalStates, deleted func()) (StageResult, []Killed) {
	keys := cfg.Cache.Keys()
	timeout := cfg.StageTimeout
	if timeout == 0 {
		timeout = time.Duration(maxGrace(st.Pods, cfg.GracePeriod))*time.Second + DefaultMargin
	}
	sr := StageResult{Name: st.Name, Processes: len(st.Pods), Timeout: timeout, Started: time.Now()}
	killed := make([]Killed, len(st.Pods))
	parallel(len(st.Pods), cfg.inFlight(), func(i int) {
		p := st.Pods[i]
		killed[i] = Killed{View: process.FromPod(p, keys), Stage: st.Name}
		killed[i].Err = deletePod(ctx, cfg.Client, p, cfg.GracePeriod, keys)
		if errors.Is(killed[i].Err, errReplaced) {
			killed[i].Err, killed[i].Gone = nil, true
		}
		killed[i].Deleted = killed[i].Err == nil
	})
	sr.Deleted = time.Now()
	deleted()

	var wait []*corev1.Pod
	for i := range killed {
		if killed[i].Err == nil && !killed[i].Gone {
			wait = append(wait, st.Pods[i])
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	left, werr := waitGone(waitCtx, cfg.Cache, wait)
	sr.TimedOut = werr != nil && errors.Is(context.Cause(waitCtx), context.DeadlineExceeded)
	cancel()
	sr.Done = time.Now()
	remaining := map[types.UID]bool{}
	for uid := range left {
		remaining[uid] = true
	}
	for i := range killed {
		k := &killed[i]
		if k.Err != nil {
			continue
		}
		if remaining[k.View.UID] {
			if latest := cfg.Cache.Get(k.View.Session, k.View.Name); latest != nil && latest.UID == k.View.UID {
				k.View = process.FromPod(latest, keys)
			}
			k.Err = fmt.Errorf("still %s after %s (grace period %ds): its node may be unreachable or a finalizer holds it",
				strings.ToLower(k.View.Status), timeout.Round(time.Second), grace(st.Pods[i], cfg.GracePeriod))
			if !sr.TimedOut {
				k.Err = fmt.Errorf("not seen gone: %v", context.Cause(ctx))
			}
			continue
		}
		k.Gone = true
		if final, _ := seen.final(k.View.UID); final != nil {
			k.View = process.FromPod(final, keys)
		}
	}
	for i := range killed {
		killed[i].Exit = NoExit
		if e := killed[i].View.Exit; e != nil {
			killed[i].Exit = *e
		}
	}
	return sr, killed
}

func deleteServices(ctx context.Context, cfg Config, gone []*corev1.Pod, services map[types.NamespacedName]*corev1.Service) {
	keys := cfg.Cache.Keys()
	parallel(len(gone), cfg.inFlight(), func(i int) {
		p := gone[i]
		svc := services[types.NamespacedName{Namespace: p.Namespace, Name: p.Name}]
		if svc != nil && orphanedBy(svc, p) {
			_ = deleteService(ctx, cfg.Client, svc, keys)
		}
	})
}

// grace is the grace period a pod's deletion gets, in seconds.
func grace(p *corev1.Pod, override *int64) int64 {
	switch {
	case override != nil:
		return *override
	case p.Spec.TerminationGracePeriodSeconds != nil:
		return *p.Spec.TerminationGracePeriodSeconds
	}
	return corev1.DefaultTerminationGracePeriodSeconds
}

func maxGrace(pods []*corev1.Pod, override *int64) int64 {
	var m int64
	for _, p := range pods {
		m = max(m, grace(p, override))
	}
	return m
}

// progress writes one line per stage. A process whose DELETE was accepted
// but that was not seen gone (Ctrl-C) is counted apart from a failed one:
// it goes.
func (c *Config) progress(sr StageResult, killed []Killed) {
	if c.Progress == nil {
		return
	}
	failed, unseen := 0, 0
	for _, k := range killed {
		switch {
		case k.Err != nil && k.Deleted:
			unseen++
		case k.Err != nil:
			failed++
		}
	}
	took := sr.Done.Sub(sr.Started).Round(time.Millisecond)
	switch {
	case sr.TimedOut:
		fmt.Fprintf(c.Progress, "stage %s: %d of %s still there after %s; going on with the next stage\n", sr.Name, failed+unseen, processes(sr.Processes), sr.Timeout)
	case failed > 0 || unseen > 0:
		var parts []string
		if unseen > 0 {
			parts = append(parts, fmt.Sprintf("%d deleted, not seen gone yet", unseen))
		}
		if failed > 0 {
			parts = append(parts, fmt.Sprintf("%d failed", failed))
		}
		fmt.Fprintf(c.Progress, "stage %s: %s killed, %s (%s)\n", sr.Name, processes(sr.Processes-failed-unseen), strings.Join(parts, ", "), took)
	default:
		fmt.Fprintf(c.Progress, "stage %s: %s killed (%s)\n", sr.Name, processes(sr.Processes), took)
	}
}

func processes(n int) string {
	if n == 1 {
		return "1 process"
	}
	return fmt.Sprintf("%d processes", n)
}
