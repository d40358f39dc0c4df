package sessionrecord

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"sync"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apiretry"
)

// Retries of a shard update that lost a race: each reads the shard again.
// Every conflict means another writer succeeded, so retrying makes
// progress; far more tries than retry.DefaultRetry's 5, because a boot,
// kills and restarts from several terminals may all write one shard at
// once (the caller's context bounds the wait). The pause grows to
// maxConflictPause, with full jitter to spread the writers apart.
const (
	maxConflictRetries = 200
	firstConflictPause = 10 * time.Millisecond
	maxConflictPause   = 500 * time.Millisecond
)

// retryOnConflict runs update until it succeeds, fails otherwise than by a
// lost race or a brief API outage, ctx ends, or maxConflictRetries.
func retryOnConflict(ctx context.Context, update func() error) error {
	pause := firstConflictPause
	outages := 0
	for attempt := 0; ; {
		err := update()
		if apiretry.Transient(err) {
			// The API is briefly away (an apiserver restart): not a lost
			// race, so it does not count against maxConflictRetries.
			if !apiretry.Sleep(ctx, apiretry.Backoff(outages)) {
				return err
			}
			outages++
			continue
		}
		if !(apierrors.IsConflict(err) || apierrors.IsAlreadyExists(err)) || attempt == maxConflictRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up after %d conflicts: %v)", ctx.Err(), attempt+1, err)
		case <-time.After(time.Duration(rand.Int64N(int64(pause))) + time.Millisecond):
		}
		pause = min(pause*3/2, maxConflictPause)
		attempt++
	}
}

// Put records the processes a boot created, one write per shard: each
// entry in state Booted with its PodUID and BootedAt. An entry already
// recorded is replaced (a boot that recreated it).
func (s *Store) Put(ctx context.Context, entries []Entry) error {
	changes := make([]Change, len(entries))
	for i := range entries {
		e := entries[i]
		changes[i] = BootedChange{Name: e.Name, Entry: &e, PodUID: e.PodUID, At: e.BootedAt}
	}
	return s.Apply(ctx, changes...)
}

// Apply applies changes to the record: one read-modify-write per shard
// touched, retried on conflict with a fresh read, so no concurrent write
// is lost. Changes to processes without an entry are ignored, and a
// session without a record is left without one (nil error): drunc's
// Python-booted sessions have nothing to update.
func (s *Store) Apply(ctx context.Context, changes ...Change) error {
	if len(changes) == 0 {
		return nil
	}
	var h *Header
	err := apiretry.OnTransient(ctx, func() (err error) {
		h, err = s.ReadHeader(ctx)
		return err
	})
	if err != nil || h == nil {
		return err
	}
	byShard := map[int][]Change{}
	for _, c := range changes {
		i := ShardOf(c.process(), h.Shards)
		byShard[i] = append(byShard[i], c)
	}
	// Shards are independent objects: written at once, a 10,000-process
	// boot's record costs one round trip, not one per shard.
	errs := make([]error, h.Shards)
	var wg sync.WaitGroup
	for i, cs := range byShard {
		wg.Go(func() { errs[i] = s.applyShard(ctx, i, cs) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// applyShard is one shard's read-modify-write, retried on conflict.
func (s *Store) applyShard(ctx context.Context, i int, changes []Change) error {
	err := retryOnConflict(ctx, func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		entries, cm, err := s.readShard(ctx, i)
		if err != nil {
			return err
		}
		if !applyChanges(entries, changes) {
			return nil
		}
		data, err := encodeEntries(entries)
		if err != nil {
			return err
		}
		exists := cm != nil
		if !exists {
			cm = s.object(ShardName(i), RoleShard)
		}
		cm.BinaryData = map[string][]byte{EntriesKey: data}
		if cm.Annotations == nil {
			cm.Annotations = map[string]string{}
		}
		cm.Annotations[EntriesAnnotation] = strconv.Itoa(len(entries))
		if !exists {
			_, err = s.configMaps().Create(ctx, cm, metav1.CreateOptions{FieldManager: FieldManager})
		} else {
			// Update sends the resourceVersion read: a write in between
			// makes it fail with Conflict, and the loop reads again.
			_, err = s.configMaps().Update(ctx, cm, metav1.UpdateOptions{FieldManager: FieldManager})
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("cannot update the record of session %q (configmap %s): %w", s.Session, ShardName(i), err)
	}
	return nil
}

// applyChanges applies changes in order and tells whether anything changed.
func applyChanges(entries map[string]*Entry, changes []Change) bool {
	changed := false
	for _, c := range changes {
		name := c.process()
		old := entries[name]
		var before Entry
		if old != nil {
			before = *old
		}
		var in *Entry
		if old != nil {
			cp := *old
			in = &cp
		}
		out := c.apply(in)
		switch {
		case out == nil && old != nil:
			delete(entries, name)
			changed = true
		case out != nil && (old == nil || !reflect.DeepEqual(*out, before)):
			entries[name] = out
			changed = true
		}
	}
	return changed
}

// Apply applies changes to a record read earlier, in memory only, as
// Store.Apply applies them to the stored one.
func (r *Record) Apply(changes ...Change) { applyChanges(r.Entries, changes) }
