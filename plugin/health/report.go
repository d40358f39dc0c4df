// Package health answers "is my session healthy, and if not, what is
// wrong": from the drunc pods of one or more sessions, their hosts' Node
// objects and the pods' last Warning events, it computes counts by state
// and by role, every unhealthy process with its reason, the processes
// that restarted and the hosts that have problems. It is pure: the caller
// reads the shared informer cache and passes what it holds.
//
// The Report is what `kubectl drunc status -o json|yaml` prints: its
// fields are a versioned schema (SchemaVersion); fields may be added within
// a version, never renamed or removed.
package health

import (
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// SchemaVersion and Kind identify the Report's schema.
const (
	SchemaVersion = "drunc.daq/v1"
	Kind          = "SessionStatus"
)

// Report is the status of every selected session.
type Report struct {
	metav1.TypeMeta `json:",inline"`
	// Healthy is true when every process of every session is Ready.
	Healthy bool `json:"healthy"`
	// HostsChecked is false when the nodes could not be read (RBAC): then
	// Hosts lists nothing and NodeLost is only what the pods say.
	HostsChecked bool      `json:"hostsChecked"`
	Sessions     []Session `json:"sessions"`
}

// Session is one session's status.
type Session struct {
	Name      string `json:"name"`
	Healthy   bool   `json:"healthy"`
	Processes int    `json:"processes"`
	Ready     int    `json:"ready"`
	// States counts processes by State (and exit code for Exited), worst first.
	States []StateCount `json:"states"`
	// Roles counts processes by drunc role.
	Roles []RoleCount `json:"roles"`
	// Problems are the processes that are not Ready, worst first.
	Problems []Process `json:"problems"`
	// Restarted are the Ready processes whose container restarted.
	Restarted []Process `json:"restarted"`
	// Hosts are the session's hosts that have problems.
	Hosts []Host `json:"hosts"`
}

// StateCount is how many processes are in a state.
type StateCount struct {
	State State `json:"state"`
	// ExitCode is set for State Exited: one count per exit code.
	ExitCode *int32 `json:"exitCode,omitempty"`
	Count    int    `json:"count"`
}

// RoleCount is how many processes of a role there are, and how many are Ready.
type RoleCount struct {
	Role      string `json:"role"`
	Processes int    `json:"processes"`
	Ready     int    `json:"ready"`
}

// Process is one process worth a line: unhealthy, or restarted.
type Process struct {
	Name  string `json:"name"`
	Role  string `json:"role"`
	Host  string `json:"host,omitempty"`
	State State  `json:"state"`
	// Status is the process's STATUS as `kubectl drunc ps` shows it.
	Status   string `json:"status"`
	ExitCode *int32 `json:"exitCode,omitempty"`
	// Reason and Message say why: the container's state, the failing pod
	// condition, the pod's status, or the host's state (NodeLost).
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// LastWarning is the pod's most recent Warning event, if any.
	LastWarning *Event `json:"lastWarning,omitempty"`
	// Restarts counts container restarts (the kubelet's restartCount).
	Restarts int32 `json:"restarts"`
	// LastRestart is when the previous container instance ended, and
	// LastExitCode its exit code, when the cluster knows them.
	LastRestart  *metav1.Time `json:"lastRestart,omitempty"`
	LastExitCode *int32       `json:"lastExitCode,omitempty"`
	UUID         string       `json:"uuid,omitempty"`
}

// Event is a Kubernetes event about a process's pod.
type Event struct {
	Reason  string      `json:"reason"`
	Message string      `json:"message"`
	Time    metav1.Time `json:"time"`
	Count   int32       `json:"count,omitempty"`
}

// Host is a host of the session that has problems.
type Host struct {
	Name string `json:"name"`
	// Problems are among Lost, NotReady, Cordoned, Tainted, Unknown (no such node),
	// MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable.
	Problems  []string `json:"problems"`
	Message   string   `json:"message,omitempty"`
	Processes int      `json:"processes"`
}

// GetObjectKind and DeepCopyObject make a Report printable by kubectl's
// JSON and YAML printers.
func (r *Report) GetObjectKind() schema.ObjectKind { return &r.TypeMeta }

// DeepCopyObject copies the report through its JSON form, the schema
// itself (only printers call it, once per report).
func (r *Report) DeepCopyObject() runtime.Object {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // plain data: cannot fail
	}
	out := &Report{}
	if err := json.Unmarshal(b, out); err != nil {
		panic(err)
	}
	return out
}
