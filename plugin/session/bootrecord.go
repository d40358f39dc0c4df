package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// BootRecordVersion is the version of the BootRecord layout.
const BootRecordVersion = 1

// BootRecord is what each pod carries in its BootRecordAnnotation: enough to
// render the same pod again (restart) from any terminal, without the boot
// file or OKS configuration it came from.
type BootRecord struct {
	Version int `json:"version"`
	// Session is the session (namespace) name.
	Session string `json:"session"`
	// User is the session's user.
	User string `json:"user"`
	// Process is the process as booted, with its UUID.
	Process Process `json:"process"`
	// RunAsUser and RunAsGroup are the ids the pod ran as.
	RunAsUser  *int64 `json:"runAsUser,omitempty"`
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// Settings are the process-manager settings the pod was rendered with,
	// reduced to this process's host (pmconfig.Settings as JSON; kept raw
	// here because pmconfig depends on this package).
	Settings json.RawMessage `json:"settings,omitempty"`
}

// EncodeBootRecord returns the annotation value (compact JSON).
func EncodeBootRecord(r *BootRecord) (string, error) {
	if r.Version == 0 {
		r.Version = BootRecordVersion
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep & < > readable in shell text
	if err := enc.Encode(r); err != nil {
		return "", fmt.Errorf("cannot encode the boot record of %q: %w", r.Process.Name, err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// DecodeBootRecord parses an annotation value; unknown fields and other
// versions are errors, so a newer plugin's record is never half-read.
func DecodeBootRecord(s string) (*BootRecord, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.DisallowUnknownFields()
	var r BootRecord
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("the %s annotation is not a valid boot record: %w", BootRecordAnnotation, err)
	}
	if r.Version != BootRecordVersion {
		return nil, fmt.Errorf("the %s annotation has boot record version %d; this kubectl-drunc reads version %d (upgrade kubectl-drunc)", BootRecordAnnotation, r.Version, BootRecordVersion)
	}
	return &r, nil
}

// AsSession returns a one-process session to render the recorded process again.
func (r *BootRecord) AsSession() *Session {
	return &Session{Name: r.Session, User: r.User, Processes: []Process{r.Process}}
}
