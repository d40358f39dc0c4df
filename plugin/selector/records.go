package selector

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// recordReaders bounds the sessions whose record is read at once when the
// records cannot be listed (one read per session, the fallback).
const recordReaders = 8

// Recorded returns the processes of the target's sessions (Sessions) that
// their session records keep without a pod, whose class is one of classes
// and that the selection matches, by session then name. pods are the
// cache's pods as the caller read them (t.Cache.Pods(): all of them, not
// only the selected ones), so that its rows and these agree. The records come
// from the cache's record informer: one LIST for every session, started
// with the pods when the verb set informers.Config.WithRecord (else now).
// When configmaps cannot be listed (a role without the right), each
// session of the pods is read on its own instead. A session without a
// record (booted by drunc's Python manager) contributes nothing. The error
// names what could not be read; what could is returned with it, so callers
// that can do without treat it as a warning.
func (t *Target) Recorded(ctx context.Context, pods []*corev1.Pod, classes ...sessionrecord.Class) ([]RecordedProcess, error) {
	bySession := map[string][]*corev1.Pod{}
	for _, p := range pods {
		bySession[p.Namespace] = append(bySession[p.Namespace], p)
	}
	records, err := t.records(ctx, bySession)
	errs := []error{err}
	names := make([]string, 0, len(records))
	for name := range records {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []RecordedProcess
	for _, name := range names {
		found, err := t.sel.Selector.RecordedOf(name, records[name], bySession[name], classes...)
		out = append(out, found...)
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// Sessions are the sessions of the target: the one of -n, or with -A
// every session with a pod in the cache or a record (once the record
// informer listed): a session whose every process was killed has no pod
// left.
func (t *Target) Sessions() []string {
	if t.sel.Namespace != "" {
		return []string{t.sel.Namespace}
	}
	var out []string
	for _, p := range t.Cache.Pods() {
		out = append(out, p.Namespace)
	}
	out = append(out, t.Cache.RecordSessions()...)
	slices.Sort(out)
	return slices.Compact(out)
}

// Record is one session's record as the cache's record informer holds it
// (its LIST, then its watch); RecordSynced must have succeeded. Its
// entries are shared: read only.
func (t *Target) Record(sessionName string) (*sessionrecord.Record, error) {
	return t.decoder.Record(sessionName, t.Cache.RecordObjects(sessionName))
}

// SessionPods are the cached pods of one session (all of them, selected
// or not). Shared objects: read only.
func (t *Target) SessionPods(sessionName string) []*corev1.Pod {
	pods, _ := t.Cache.Lister().Pods(sessionName).List(labels.Everything())
	return pods
}

// records reads the record of every session of the target that has one.
func (t *Target) records(ctx context.Context, bySession map[string][]*corev1.Pod) (map[string]*sessionrecord.Record, error) {
	if err := t.Cache.RecordSynced(ctx); err != nil {
		return t.readEach(ctx, bySession)
	}
	sessions := []string{t.sel.Namespace}
	if t.sel.Namespace == "" {
		sessions = t.Cache.RecordSessions()
	}
	out := map[string]*sessionrecord.Record{}
	var errs []error
	for _, name := range sessions {
		rec, err := t.Record(name)
		switch {
		case err != nil:
			errs = append(errs, err)
		case rec.Found():
			out[name] = rec
		}
	}
	return out, errors.Join(errs...)
}

// readEach is the fallback of records: one read (GETs) per session of -n,
// or with -A of the pods, a few at once. A session whose every process was
// killed is then not found by -A.
func (t *Target) readEach(ctx context.Context, bySession map[string][]*corev1.Pod) (map[string]*sessionrecord.Record, error) {
	sessions := []string{t.sel.Namespace}
	if t.sel.Namespace == "" {
		sessions = sessions[:0]
		for name := range bySession {
			sessions = append(sessions, name)
		}
	}
	var mu sync.Mutex
	out := map[string]*sessionrecord.Record{}
	var errs []error
	sem := make(chan struct{}, recordReaders)
	var wg sync.WaitGroup
	for _, name := range sessions {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			rec, err := sessionrecord.New(t.Client, name).Read(ctx)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else if rec.Found() {
				out[name] = rec
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}
