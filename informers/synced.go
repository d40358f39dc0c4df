package informers

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// watchStartWait bounds how long Start waits for the pod watch once the
// list is in the cache: a watch is established in milliseconds, and none
// is needed to read the cache.
const watchStartWait = 250 * time.Millisecond

// watchStart tells when the pod watch is first established, or a list or
// watch failed.
type watchStart struct {
	once       sync.Once
	started    chan struct{} // closed once a watch is established
	failure    chan struct{} // receives after a failed list or watch
	listFailed atomic.Bool   // a list failed (not only a watch)
}

func newWatchStart() *watchStart {
	return &watchStart{started: make(chan struct{}), failure: make(chan struct{}, 1)}
}

func (w *watchStart) watching() { w.once.Do(func() { close(w.started) }) }

// listed records how a list ended.
func (w *watchStart) listed(err error) {
	if err != nil {
		w.listFailed.Store(true)
	}
}

func (w *watchStart) failed() {
	select {
	case w.failure <- struct{}{}:
	default:
	}
}

// waitSynced returns once the first list arrived, or a clear error: like
// kubectl, a failed first list (unreachable server, RBAC, bad credentials)
// is reported at once rather than retried forever; only after the sync do
// the reflector's retries keep the cache alive. The sync is waited for on
// its channel, not polled: a one-shot ps would otherwise idle up to a poll
// period after its list arrived.
func (c *Cache) waitSynced(ctx context.Context) error {
	synced := c.informer.HasSyncedChecker().Done()
	for !c.informer.HasSynced() {
		// Only a failed list fails Start: the watch that follows a list
		// may fail (RBAC allowing list only) before the cache reports the
		// sync, and reading the cache needs no watch.
		if err := c.lastWatchError(); err != nil && c.started.listFailed.Load() {
			return fmt.Errorf("cannot list pods %s: %w", c.scope(), err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pods %s not listed before %w", c.scope(), context.Cause(ctx))
		case <-synced:
		case <-c.started.failure:
		}
	}
	c.waitWatching(ctx)
	return nil
}

// waitWatching waits, briefly, until the watch that follows the first list
// is established (or fails: reading the cache needs no watch), so that a
// change made right after Start returns reaches the cache. A real
// apiserver would replay it anyway (the watch resumes from the list's
// version); a fake clientset, in tests, would lose it.
func (c *Cache) waitWatching(ctx context.Context) {
	if c.lastWatchError() != nil {
		return // the watch failed while the list was being synced
	}
	timeout := time.NewTimer(watchStartWait)
	defer timeout.Stop()
	select {
	case <-c.started.started:
	case <-c.started.failure:
	case <-timeout.C:
	case <-ctx.Done():
	}
}
