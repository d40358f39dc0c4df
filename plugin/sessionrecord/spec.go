package sessionrecord

import (
	"encoding/json"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// spec is what Entry.Spec holds.
type spec struct {
	Pod     *corev1.Pod     `json:"pod"`
	Service *corev1.Service `json:"service,omitempty"`
}

// Objects returns the process's pod and service as boot submitted them
// (rendered, plus what boot added, such as the connection server's
// address); the service has no owner UID yet (podspec.OwnService). Restart
// creates them again from here. Each call returns new copies.
func (e *Entry) Objects() (*corev1.Pod, *corev1.Service, error) {
	var s spec
	if err := json.Unmarshal(e.Spec, &s); err != nil || s.Pod == nil {
		return nil, nil, fmt.Errorf("the recorded spec of process %q is unreadable: %v", e.Name, err)
	}
	return s.Pod, s.Service, nil
}

// NewEntry is the entry of a process boot created: rendered as rendered,
// submitted the pod as sent to the API (with what boot added, such as the
// connection server's address; nil means rendered.Pod), podUID the UID of
// the pod the API created.
func NewEntry(rendered *podspec.Rendered, submitted *corev1.Pod, podUID types.UID, at time.Time) (Entry, error) {
	if submitted == nil {
		submitted = rendered.Pod
	}
	s := spec{Pod: submitted}
	if rendered.Service != nil {
		s.Service = rendered.Service.DeepCopy()
		for i := range s.Service.OwnerReferences {
			s.Service.OwnerReferences[i].UID = "" // the next pod is another owner
		}
	}
	raw, err := json.Marshal(&s)
	if err != nil {
		return Entry{}, fmt.Errorf("cannot record process %q: %w", rendered.Process.Name, err)
	}
	return Entry{
		Name: rendered.Process.Name, UUID: rendered.Process.UUID, TreeID: rendered.Process.TreeID,
		Role: rendered.Role, Host: rendered.Process.Host,
		Spec: raw, State: StateBooted, PodUID: podUID, BootedAt: at,
	}, nil
}
