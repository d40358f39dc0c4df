package bootexec

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// recordTimeout bounds the record's final write; it runs after Ctrl-C too,
// so that what was created is remembered.
const recordTimeout = time.Minute

// claim makes the session this configuration's (plugin/sessionrecord):
// the record's index is created before the first pod, so a boot of another
// configuration into the session is refused before it creates anything.
func (b *booter) claim(ctx context.Context) error {
	h, err := b.store.Claim(ctx, sessionrecord.Header{
		Source: b.cfg.Source, Digest: sessionrecord.Digest(b.objs), Processes: len(b.objs.Processes),
		LabelDomain: session.Keys(b.cfg.Settings.LabelDomain).Domain,
	})
	if err != nil {
		return err
	}
	b.header = h
	return nil
}

// remember keeps the entry of a process this run created, for the record.
// submitted is its pod as sent (with the connection server's address).
func (b *booter) remember(r *podspec.Rendered, submitted, made *corev1.Pod) {
	e, err := sessionrecord.NewEntry(r, submitted, made.UID, made.CreationTimestamp.Time)
	b.mu.Lock()
	defer b.mu.Unlock()
	if err != nil {
		b.recordErr = err
		return
	}
	b.entries = append(b.entries, e)
}

// writeRecord writes the entries of the processes this run created: one
// write per shard touched, whatever the number of processes. It outlives
// Ctrl-C: a process left running must be in the record.
func (b *booter) writeRecord() {
	b.mu.Lock()
	entries, recErr := b.entries, b.recordErr
	b.entries = nil
	b.mu.Unlock()
	if recErr != nil {
		b.res.RecordError = recErr.Error()
	}
	if len(entries) == 0 || b.header == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
	defer cancel()
	if err := b.store.Put(ctx, entries); err != nil {
		b.res.RecordError = fmt.Sprintf("the session record was not written (%s): kill, restart and boot cannot bring back these processes from it", procreate.Message(err))
		b.prog.done("%s", b.res.RecordError)
	}
}
