package bootexec

import (
	"context"
	"fmt"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// rollbackTimeout bounds the rollback; it runs after Ctrl-C too.
const rollbackTimeout = 2 * time.Minute

// rollback deletes what this run created: its pods (their services go with
// them, and are deleted too so nothing lingers until the garbage collector
// runs) and then the session namespace, which the run created. It waits
// until the namespace is gone, so that a rolled-back boot leaves nothing.
func (b *booter) rollback() {
	t := time.Now()
	defer func() { b.res.Rollback = time.Since(t) }()
	ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
	defer cancel()
	b.mu.Lock()
	created := make(map[string]types.UID, len(b.created))
	for name, uid := range b.created {
		created[name] = uid
	}
	b.mu.Unlock()

	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(b.cfg.MaxInFlight, max(len(created), 1)) {
		wg.Go(func() {
			for name := range jobs {
				uid := string(created[name])
				err := b.cfg.Client.CoreV1().Pods(b.ns).Delete(ctx, name, metav1.DeleteOptions{Preconditions: metav1.NewUIDPreconditions(uid)})
				if err != nil && !apierrors.IsNotFound(err) {
					continue
				}
				_ = b.cfg.Client.CoreV1().Services(b.ns).Delete(ctx, name, metav1.DeleteOptions{})
				b.mu.Lock()
				b.res.Processes[b.index[name]].RolledBack = true
				b.mu.Unlock()
			}
		})
	}
	for name := range created {
		jobs <- name
	}
	close(jobs)
	wg.Wait()
	b.res.RolledBack = true

	what := fmt.Sprintf("rollback: deleted %d process(es)", len(created))
	if !b.nsCreated {
		// The session existed before this run: only its processes go.
		b.prog.done("%s", what)
		return
	}
	b.deleteNamespace(ctx, what, what+" and namespace/"+b.ns, t)
}

// removeEmptySession deletes the namespace of a run that stopped before it
// created any process (the run created the namespace): a re-run then starts
// afresh instead of finding the session "already exists".
func (b *booter) removeEmptySession() {
	ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
	defer cancel()
	b.deleteNamespace(ctx, "no process was created", "no process was created: deleted namespace/"+b.ns+" again", time.Now())
	b.res.EmptyRemoved = b.res.NamespaceDeleted
}

// deleteNamespace deletes the session namespace and waits until it is gone.
func (b *booter) deleteNamespace(ctx context.Context, what, done string, t time.Time) {
	bg := metav1.DeletePropagationBackground
	err := b.cfg.Client.CoreV1().Namespaces().Delete(ctx, b.ns, metav1.DeleteOptions{PropagationPolicy: &bg})
	if err != nil && !apierrors.IsNotFound(err) {
		b.prog.done("%s; the namespace %s could not be deleted: %s", what, b.ns, procreate.Message(err))
		return
	}
	b.prog.update("%s, deleting namespace/%s", what, b.ns)
	b.res.NamespaceDeleted = true // requested; the namespace controller finishes it
	if err := waitNamespace(ctx, b.cfg.Client, b.ns, "deleted", nsGone, rollbackTimeout); err != nil {
		b.prog.done("%s; namespace/%s is still terminating", what, b.ns)
		return
	}
	b.prog.done("%s (%s)", done, round(time.Since(t)))
}
