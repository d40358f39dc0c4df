package bootexec

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/waitfor"
)

// booter is one run.
type booter struct {
	cfg   Config
	objs  *podspec.Objects
	ns    string
	prog  *progress
	res   *Result
	index map[string]int // process name → res.Processes
	// unmet are the processes the last wait left unmet, as it saw them.
	unmet   map[string]waitfor.Unmet
	nodes   map[string]*corev1.Node // host → its node
	creator procreate.Creator
	cache   *informers.Cache
	store   *sessionrecord.Store
	// header is the record's, once claimed.
	header *sessionrecord.Header
	// deadline is Config.Timeout from the start (zero: none).
	deadline time.Time

	mu      sync.Mutex
	created map[string]types.UID // pods this run created, for rollback
	// entries of the processes created, written to the record at the end.
	entries   []sessionrecord.Entry
	recordErr error
	lcsIP     string
	// nsCreated: this run created the session namespace.
	nsCreated bool
	// adopted: the session existed (booted from the same source); this run
	// completes it. replace are the processes whose pods differ from the
	// configuration (with Replace: killed, then created again).
	adopted     bool
	replace     map[string]bool
	replacePods []*corev1.Pod
	// sessionDeleted: the namespace went terminating during the run.
	sessionDeleted atomic.Bool
}

// Run boots the session. The Result is returned whenever the run got as
// far as creating something (also with an error); the error is a
// *hosts.Error or *SessionExistsError when nothing was created, a
// *NotReadyError when processes did not all become Ready.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.complete(); err != nil {
		return nil, err
	}
	b := newBooter(cfg)
	start := time.Now()
	defer func() { b.res.Total = time.Since(start) }()
	if cfg.Timeout > 0 {
		b.deadline = start.Add(cfg.Timeout)
	}
	if err := b.prepare(ctx); err != nil {
		return b.res, err
	}
	// The cache outlives Ctrl-C so the report can still say what exists.
	cacheCtx, stopCache := context.WithCancel(context.WithoutCancel(ctx))
	defer stopCache()
	var err error
	b.cache, err = informers.Start(cacheCtx, informers.Config{Client: cfg.Client, Namespace: b.ns, LabelDomain: cfg.Settings.LabelDomain})
	if err != nil {
		b.res.Blocked = err.Error()
		b.markNotCreated(b.objs.Processes, "not created: "+err.Error())
		b.finish()
		return b.res, &NotReadyError{Result: b.res}
	}
	runCtx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	stopWatch := b.watchSession(runCtx, cancelRun)
	if len(b.replacePods) > 0 {
		b.replaceChanged(runCtx)
	}
	b.bootStages(runCtx)
	// The record is written while the processes become Ready: at 10,000
	// processes its writes take seconds the wait would otherwise add.
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		b.writeRecord()
	}()
	if cfg.Wait && !b.res.Interrupted && b.res.Blocked == "" {
		b.waitAll(runCtx)
	}
	<-recorded
	stopWatch()
	if b.sessionDeleted.Load() {
		// Not a Ctrl-C: somebody ended the session; say so, exit 1.
		b.res.Interrupted = false
		b.res.Blocked = "boot stopped: " + sessionDeletedWhy
		b.res.SessionDeleted = true
	}
	b.refresh()
	b.finish()
	if len(b.res.NotReady()) == 0 && !b.res.Interrupted {
		return b.res, nil
	}
	return b.res, &NotReadyError{Result: b.res}
}

func newBooter(cfg Config) *booter {
	b := &booter{
		cfg: cfg, objs: cfg.Objects, ns: cfg.Objects.Namespace.Name,
		prog:    newProgress(cfg.Progress, cfg.Live),
		res:     &Result{Session: cfg.Objects.Namespace.Name, Waited: cfg.Wait},
		index:   map[string]int{},
		unmet:   map[string]waitfor.Unmet{},
		created: map[string]types.UID{},
		creator: procreate.Creator{Client: cfg.Client},
		store:   sessionrecord.New(cfg.Client, cfg.Objects.Namespace.Name),
	}
	stageOf := map[string]string{}
	for i, procs := range cfg.Objects.Stages() {
		for _, p := range procs {
			stageOf[p.Process.Name] = cfg.Objects.StageNames[i]
		}
	}
	for i, p := range cfg.Objects.Processes {
		b.index[p.Process.Name] = i
		b.res.Processes = append(b.res.Processes, ProcessResult{
			Name: p.Process.Name, Host: p.Process.Host, Role: p.Role, Stage: stageOf[p.Process.Name], Outcome: NotCreated,
		})
	}
	return b
}

// prepare does what must hold before any process is created: the hosts
// are usable, and the namespace is this run's.
func (b *booter) prepare(ctx context.Context) error {
	t := time.Now()
	nodes, err := checkHosts(ctx, b.cfg.Client, b.objs)
	if err != nil {
		return err
	}
	b.nodes = nodes
	b.res.Nodes = time.Since(t)
	b.prog.done("hosts: %d node(s) Ready and schedulable (%s)", len(nodes), round(b.res.Nodes))
	note, err := checkNodePorts(ctx, b)
	if err != nil {
		return err
	}
	if note != "" {
		b.prog.done("%s", note)
	}

	t = time.Now()
	wait := seconds(b.cfg.Settings.Cleanup.RestartCleanupTime)
	err = createNamespace(ctx, b.cfg.Client, b.objs.Namespace, wait, func() {
		b.prog.done("session %q is terminating: waiting up to %s (cleanup.restart_cleanup_time) for it to go", b.ns, wait)
	})
	var exists *SessionExistsError
	if errors.As(err, &exists) {
		return b.adopt(ctx)
	}
	if err != nil {
		return err
	}
	b.nsCreated = true
	if err := b.claim(ctx); err != nil {
		b.removeEmptySession()
		return err
	}
	b.res.Namespace = time.Since(t)
	b.prog.done("namespace/%s created (%s)", b.ns, round(b.res.Namespace))
	return nil
}

// bootStages creates the stages in order; the LCS and the root controller
// are gates: nothing after them is created until they are Ready (and
// reachable).
func (b *booter) bootStages(ctx context.Context) {
	for i, procs := range b.objs.Stages() {
		name := b.objs.StageNames[i]
		if procs = b.toCreate(procs); len(procs) == 0 {
			continue
		}
		switch {
		case ctx.Err() != nil:
			b.res.Interrupted = true
			b.markNotCreated(procs, b.stoppedWhy())
			continue
		case b.res.Blocked != "":
			b.markNotCreated(procs, "not created: "+b.res.Blocked)
			continue
		}
		if b.lcsIP != "" {
			for j := range procs {
				podspec.SetLCSAddress(procs[j].Pod, b.lcsIP)
			}
		}
		st := StageTime{Name: name, Processes: len(procs)}
		t := time.Now()
		c := b.createAll(ctx, name, procs)
		st.Create = time.Since(t)
		gate := name == session.StageConnectionServer || name == session.StageRootController
		switch {
		case c.there() < len(procs) && gate:
			b.res.Blocked = fmt.Sprintf("the %s could not be created", gateName(name))
			b.prog.done("%s (%s)", c.line(), round(st.Create))
		case gate:
			b.gate(ctx, &st, procs)
		default:
			b.prog.done("%s (%s)", c.line(), round(st.Create))
		}
		b.res.Stages = append(b.res.Stages, st)
	}
}

func gateName(stage string) string {
	if stage == session.StageConnectionServer {
		return "local connection server"
	}
	return "root controller"
}

// withDeadline bounds ctx by d and by the run's --timeout.
func (b *booter) withDeadline(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	dl := time.Now().Add(d)
	if !b.deadline.IsZero() && b.deadline.Before(dl) {
		dl = b.deadline
	}
	return context.WithDeadline(ctx, dl)
}

func (b *booter) recordCreate(name string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := &b.res.Processes[b.index[name]]
	if err != nil {
		p.Outcome, p.Reason = CreateFailed, err.Error()
		return
	}
	p.Outcome, p.Status = Created, "Pending"
}

func (b *booter) markNotCreated(procs []podspec.Rendered, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range procs {
		p := &b.res.Processes[b.index[r.Process.Name]]
		if p.Outcome == NotCreated {
			p.Reason = why
		}
	}
}

// finish rolls back when asked and the run did not fully succeed; without
// --rollback, a run that stops before it created any process deletes the
// namespace it created, so a failed boot leaves nothing half-made.
func (b *booter) finish() {
	failed := len(b.res.NotReady()) > 0 || b.res.Interrupted
	switch {
	case !failed || b.res.SessionDeleted:
	case b.cfg.Rollback:
		b.rollback()
	case b.nsCreated && b.createdNone():
		b.removeEmptySession()
	}
}

// createdNone tells whether no pod of this run exists (none was created,
// or each was deleted again when its service was refused).
func (b *booter) createdNone() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.created) == 0
}
