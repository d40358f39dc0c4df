package sessiondiff

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// SchemaVersion and Kind identify the Report's schema; fields may be added
// within a version, never renamed or removed.
const (
	SchemaVersion = "drunc.daq/v1"
	Kind          = "SessionDiff"
)

// Report is what a boot of the configuration would change in the running
// session: the stable model of `kubectl drunc diff -o json|yaml`. Every
// list is sorted by process name.
type Report struct {
	metav1.TypeMeta `json:",inline"`
	Session         string    `json:"session"`
	Missing         []Missing `json:"missing"`
	Extra           []Extra   `json:"extra"`
	Changed         []Changed `json:"changed"`
	Died            []Died    `json:"died"`
	// Unchanged counts the processes whose pod and service are as
	// configured (a died one among them: it is also in Died).
	Unchanged int `json:"unchanged"`
}

// Why a process of the configuration has no pod.
const (
	// NotCreated: the session never had it (no record says otherwise).
	NotCreated = "NotCreated"
	// Killed: killed with kubectl drunc kill.
	Killed = "Killed"
	// Flushed: forgotten by kubectl drunc flush.
	Flushed = "Flushed"
	// Lost: booted, then its pod vanished without kubectl drunc.
	Lost = "Lost"
)

// Missing is a process of the configuration without a pod: boot creates it.
type Missing struct {
	Name string `json:"name"`
	// Reason is NotCreated, Killed, Flushed or Lost.
	Reason string `json:"reason"`
	// ExitCode is the recorded exit code of a killed process (-1: it ran).
	ExitCode *int32 `json:"exitCode,omitempty"`
}

// Extra is a pod of the session that the configuration does not have.
type Extra struct {
	Name string `json:"name"`
	UUID string `json:"uuid,omitempty"`
}

// Changed is a process whose pod or service differs from the configuration.
type Changed struct {
	Name   string        `json:"name"`
	Fields []FieldChange `json:"fields"`
}

// FieldChange is one field that differs. Live or Desired is absent when
// the field is unset on that side.
type FieldChange struct {
	// Object is "pod" or "service".
	Object  string  `json:"object"`
	Field   string  `json:"field"`
	Live    *string `json:"live,omitempty"`
	Desired *string `json:"desired,omitempty"`
}

// Died is a process whose pod exists but whose process ended.
type Died struct {
	Name     string `json:"name"`
	UUID     string `json:"uuid,omitempty"`
	ExitCode *int32 `json:"exitCode,omitempty"`
	// Status is the STATUS ps shows (Error, Completed, OOMKilled...).
	Status string `json:"status"`
}

// Differs tells whether the session is not what the configuration says:
// `kubectl drunc diff` exits 1 then, like kubectl diff.
func (r *Report) Differs() bool {
	return len(r.Missing)+len(r.Extra)+len(r.Changed)+len(r.Died) > 0
}
