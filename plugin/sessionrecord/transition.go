package sessionrecord

import (
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// A Change is one process's state change, applied to its entry (nil when
// the process has none) and returning the entry to keep (nil: none).
//
// Changes to one process commute, whatever order terminals' writes land
// in: pods of one name exist one after the other, each is reported booted
// by the run that created it and gone by the run that deleted it, so an
// entry that remembers the pods known gone (GonePods) and the booted ones
// it no longer names (OtherPods) ends naming the one pod not known gone,
// or none.
type Change interface {
	process() string
	apply(e *Entry) *Entry
}

// maxPodHistory bounds GonePods and OtherPods: a report later than this
// many deletions of one process does not happen.
const maxPodHistory = 8

// BootedChange records that a pod was created for a process: a new entry
// (Entry set: boot) or a recorded one created again (restart, a boot that
// completes the session). A pod whose kill or flush is already recorded
// stays gone: that was the later event.
type BootedChange struct {
	Name string
	// Entry is the full entry for a process boot creates; nil keeps the
	// recorded spec (restart from the record).
	Entry  *Entry
	PodUID types.UID
	At     time.Time
	// Replaces is a pod of the process that the creator knows is gone
	// without the record saying so: the pod a Lost entry named (deleted
	// another way). Remembered gone, it is never named again; otherwise a
	// kill of the new pod would name it once more, and the process would
	// read Lost instead of Killed.
	Replaces types.UID
}

func (c BootedChange) process() string { return c.Name }

func (c BootedChange) apply(e *Entry) *Entry {
	if e != nil && c.Replaces != "" && c.Replaces != c.PodUID {
		e.GonePods = remember(e.GonePods, c.Replaces)
		e.OtherPods = without(e.OtherPods, c.Replaces)
	}
	if e != nil && e.gone(c.PodUID) {
		return e
	}
	var gone, others []types.UID
	if e != nil {
		gone, others = e.GonePods, e.OtherPods
		if e.State == StateBooted && e.PodUID != "" && e.PodUID != c.PodUID && !e.gone(e.PodUID) {
			others = remember(others, e.PodUID)
		}
	}
	if c.Entry != nil {
		n := *c.Entry
		e = &n
	}
	if e == nil {
		return nil // nothing recorded to boot again from
	}
	e.State, e.PodUID, e.BootedAt = StateBooted, c.PodUID, c.At
	e.KilledAt, e.ExitCode, e.FlushedAt, e.GonePodUID = nil, nil, nil, ""
	e.GonePods, e.OtherPods = gone, without(others, c.PodUID)
	return e
}

// KilledChange records that kubectl drunc kill deleted a process's pod.
// ExitCode is the code it had exited with, or NoExit if it still ran. A
// kill of another pod than the one recorded (an older one, replaced since,
// or a newer one whose boot is not recorded yet) only remembers that pod
// as gone.
type KilledChange struct {
	Name     string
	PodUID   types.UID
	ExitCode int32
	At       time.Time
}

func (c KilledChange) process() string { return c.Name }

func (c KilledChange) apply(e *Entry) *Entry {
	return podGone(e, c.PodUID, func(e *Entry) {
		at, code := c.At, c.ExitCode
		e.State, e.KilledAt, e.ExitCode = StateKilled, &at, &code
	})
}

// FlushedChange records that flush forgot a process: its exited pod
// (PodUID) was deleted, or it was killed before (PodUID empty). Its spec
// stays, so restart and boot can create it again under the same uuid.
type FlushedChange struct {
	Name   string
	PodUID types.UID
	At     time.Time
}

func (c FlushedChange) process() string { return c.Name }

func (c FlushedChange) apply(e *Entry) *Entry {
	return podGone(e, c.PodUID, func(e *Entry) {
		at := c.At
		e.State, e.FlushedAt = StateFlushed, &at
	})
}

// podGone records that pod uid (empty: the one the entry names) is gone;
// when the entry named it, the entry names the last other pod reported
// booted, or else mark moves it to its new state. A Flushed entry stays
// Flushed.
func podGone(e *Entry, uid types.UID, mark func(*Entry)) *Entry {
	if e == nil {
		return nil
	}
	if uid != "" {
		e.GonePods = remember(e.GonePods, uid)
		e.OtherPods = without(e.OtherPods, uid)
	}
	if e.State == StateFlushed || !samePod(e, uid) {
		return e
	}
	if n := len(e.OtherPods); e.State == StateBooted && uid != "" && n > 0 {
		e.PodUID, e.OtherPods = e.OtherPods[n-1], e.OtherPods[:n-1]
		return e
	}
	mark(e)
	if uid != "" {
		e.GonePodUID = uid
	}
	return e
}

// samePod: the change is about the pod the entry records (or either does
// not know the pod).
func samePod(e *Entry, uid types.UID) bool {
	return e.PodUID == "" || uid == "" || e.PodUID == uid
}

// gone tells whether the pod's deletion is recorded.
func (e *Entry) gone(uid types.UID) bool {
	return uid != "" && (uid == e.GonePodUID || slices.Contains(e.GonePods, uid))
}

// remember adds uid to the end of list (once), keeping the last
// maxPodHistory; list is not modified.
func remember(list []types.UID, uid types.UID) []types.UID {
	out := append(without(list, uid), uid)
	return out[max(0, len(out)-maxPodHistory):]
}

// without is list without uid, in a new slice (nil when empty).
func without(list []types.UID, uid types.UID) []types.UID {
	var out []types.UID
	for _, u := range list {
		if u != uid {
			out = append(out, u)
		}
	}
	return out
}
