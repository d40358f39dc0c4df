// Package changes turns the shared informer's pod notifications and the
// Kubernetes events of drunc pods into one record per process change, for
// `kubectl drunc events`: a state change (old → new STATUS, exit code,
// restarts) or an event (reason, message). Tracker is pure; Stream wires
// it to an informer cache.
package changes

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// SchemaVersion and Kind identify a Record (one JSON object per line).
const (
	SchemaVersion = "drunc.daq/v1"
	Kind          = "ProcessChange"
)

// Sources of a record.
const (
	// SourcePod: the pod's status changed (From → To).
	SourcePod = "pod"
	// SourceEvent: a Kubernetes event about the pod.
	SourceEvent = "event"
)

// Record is one change of one process.
type Record struct {
	metav1.TypeMeta `json:",inline"`
	// Time is when it happened: the pod's transition time for the state a
	// process was found in, the observation time of a live change, the
	// event's last occurrence.
	Time    metav1.Time `json:"time"`
	Type    string      `json:"type"` // Normal or Warning
	Source  string      `json:"source"`
	Session string      `json:"session"`
	Process string      `json:"process"`
	UUID    string      `json:"uuid,omitempty"`
	// From and To are the process's STATUS (as ps shows it) before and
	// after; From is empty for a process first seen, To is "Deleted" when
	// its pod is gone. An event seen live carries the STATUS then in both;
	// one from before the start carries none (its STATUS then is unknown).
	From     string `json:"from,omitempty"`
	To       string `json:"to"`
	ExitCode *int32 `json:"exitCode,omitempty"`
	Restarts int32  `json:"restarts"`
	Reason   string `json:"reason,omitempty"`
	Message  string `json:"message,omitempty"`
	// Count is how many times the event occurred (events only).
	Count int32 `json:"count,omitempty"`
}

// Deleted is To when the pod is gone.
const Deleted = "Deleted"

var recordGVK = schema.FromAPIVersionAndKind(SchemaVersion, Kind)

func newRecord() Record {
	r := Record{}
	r.APIVersion, r.Kind = recordGVK.GroupVersion().String(), recordGVK.Kind
	return r
}

// GetObjectKind and DeepCopyObject make a Record printable by kubectl's
// printers.
func (r *Record) GetObjectKind() schema.ObjectKind { return &r.TypeMeta }

// DeepCopyObject copies the record (its only pointer is immutable).
func (r *Record) DeepCopyObject() runtime.Object {
	out := *r
	return &out
}
