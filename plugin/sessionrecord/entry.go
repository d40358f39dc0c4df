package sessionrecord

import (
	"encoding/json"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// State is where a recorded process is in its life (see the package doc).
type State string

// The states of an entry.
const (
	StateBooted  State = "Booted"
	StateKilled  State = "Killed"
	StateFlushed State = "Flushed"
)

// NoExit is the exit code recorded for a process killed while it ran:
// drunc shows a killed process with exit code -1.
const NoExit int32 = -1

// Entry is one process as boot created it, and what happened to it since.
type Entry struct {
	Name   string       `json:"name"`
	UUID   string       `json:"uuid"`
	TreeID string       `json:"treeId,omitempty"`
	Role   session.Role `json:"role"`
	Host   string       `json:"host"`
	// Spec holds the pod and service as submitted to the API (Objects
	// decodes it): kept encoded, so reading a record for ps or changing a
	// state does not decode 10,000 pod specs.
	Spec json.RawMessage `json:"spec"`

	State State `json:"state"`
	// PodUID is the pod last created for it; BootedAt when.
	PodUID   types.UID `json:"podUID,omitempty"`
	BootedAt time.Time `json:"bootedAt"`
	// With Killed: when, and its exit code (NoExit if it ran).
	KilledAt *time.Time `json:"killedAt,omitempty"`
	ExitCode *int32     `json:"exitCode,omitempty"`
	// With Flushed: when.
	FlushedAt *time.Time `json:"flushedAt,omitempty"`
	// GonePodUID is the pod whose kill or flush made the entry Killed or
	// Flushed, so a late report that this pod was booted is recognised.
	GonePodUID types.UID `json:"gonePodUID,omitempty"`
	// GonePods are the last pods (maxPodHistory) whose deletion by kubectl
	// drunc was recorded, named by the entry or not: a report that one was
	// booted, landing after its deletion's, changes nothing.
	GonePods []types.UID `json:"gonePods,omitempty"`
	// OtherPods are pods reported booted, not known gone, that a report of
	// another pod superseded (terminals' reports land in any order): when
	// the named pod's deletion is recorded, the entry names the last of them.
	OtherPods []types.UID `json:"otherPods,omitempty"`
}

// KilledExit is the exit code of a killed process, as ps, status, diff and
// flush show it: the recorded one, NoExit when none was recorded.
func (e *Entry) KilledExit() int32 {
	if e.ExitCode != nil {
		return *e.ExitCode
	}
	return NoExit
}

// Source is where a session's configuration came from: a boot file, or an
// OKS file and the session id in it.
type Source struct {
	BootFile  string `json:"bootFile,omitempty"`
	OKSFile   string `json:"oksFile,omitempty"`
	SessionID string `json:"sessionId,omitempty"`
}

// String names the source as the flags that give it.
func (s Source) String() string {
	switch {
	case s.OKSFile != "":
		return "--oks " + s.OKSFile + " --session-id " + s.SessionID
	case s.BootFile != "":
		return "-f " + s.BootFile
	}
	return "an unnamed source"
}

// Header is the session-wide part of the record, in the index.
type Header struct {
	Version int    `json:"version"`
	Source  Source `json:"source"`
	// Digest identifies the rendered configuration (Digest), so a boot can
	// tell whether the configuration changed since.
	Digest string `json:"digest"`
	// Processes is how many processes the configuration has; Shards how
	// many shards hold their entries (fixed once the index exists).
	Processes int       `json:"processes"`
	Shards    int       `json:"shards"`
	Created   time.Time `json:"created"`
	// LabelDomain is the label domain the processes were booted with
	// (--drunc-label; "" is drunc.daq): a verb selecting in another domain
	// does not see these pods, so it must not read the record either.
	LabelDomain string `json:"labelDomain,omitempty"`
}

// Record is a session's record as read.
type Record struct {
	// Header is nil when the session has no record (booted by drunc's
	// Python manager, or before this feature): nothing else is then known.
	Header  *Header
	Entries map[string]*Entry
}

// Found tells whether the session has a record.
func (r *Record) Found() bool { return r != nil && r.Header != nil }

// Entry returns the entry of a process, nil if it has none.
func (r *Record) Entry(name string) *Entry {
	if r == nil {
		return nil
	}
	return r.Entries[name]
}
