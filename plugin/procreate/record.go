package procreate

import (
	"encoding/json"
	"fmt"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// FromBootRecord renders a process again exactly as boot rendered it, from
// its boot record (the session.BootRecordAnnotation text): the pod and
// service to give Creator.Create.
func FromBootRecord(text string) (Process, error) {
	rec, err := session.DecodeBootRecord(text)
	if err != nil {
		return Process{}, err
	}
	st := pmconfig.Default()
	if len(rec.Settings) > 0 {
		if err := json.Unmarshal(rec.Settings, st); err != nil {
			return Process{}, fmt.Errorf("the settings in its boot record cannot be read: %w", err)
		}
	}
	objs, err := podspec.Render(rec.AsSession(), st, podspec.Options{RunAsUser: rec.RunAsUser, RunAsGroup: rec.RunAsGroup})
	if err != nil {
		return Process{}, fmt.Errorf("its boot record does not render: %w", err)
	}
	r := objs.Processes[0]
	return Process{Pod: r.Pod, Service: r.Service}, nil
}
