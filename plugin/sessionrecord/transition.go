package sessionrecord

import (
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// A Change is one process's state change, applied to its entry (nil when
// the process has none) and returning the entry to keep (nil: none).
type Change interface {
	process() string
	apply(e *Entry) *Entry
}

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
}

func (c BootedChange) process() string { return c.Name }

func (c BootedChange) apply(e *Entry) *Entry {
	if e != nil && e.State != StateBooted && c.PodUID != "" && e.GonePodUID == c.PodUID {
		return e
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
	return e
}

// KilledChange records that kubectl drunc kill deleted a process's pod.
// ExitCode is the code it had exited with, or NoExit if it still ran. A
// kill of another pod than the one recorded (an older one, replaced since)
// changes nothing.
type KilledChange struct {
	Name     string
	PodUID   types.UID
	ExitCode int32
	At       time.Time
}

func (c KilledChange) process() string { return c.Name }

func (c KilledChange) apply(e *Entry) *Entry {
	if e == nil || e.State == StateFlushed || !samePod(e, c.PodUID) {
		return e
	}
	at, code := c.At, c.ExitCode
	e.State, e.KilledAt, e.ExitCode = StateKilled, &at, &code
	if c.PodUID != "" {
		e.GonePodUID = c.PodUID
	}
	return e
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
	if e == nil || e.State == StateFlushed || !samePod(e, c.PodUID) {
		return e
	}
	at := c.At
	e.State, e.FlushedAt = StateFlushed, &at
	if c.PodUID != "" {
		e.GonePodUID = c.PodUID
	}
	return e
}

// samePod: the change is about the pod the entry records (or either does
// not know the pod).
func samePod(e *Entry, uid types.UID) bool {
	return e.PodUID == "" || uid == "" || e.PodUID == uid
}
