package sessiondiff

import (
	"sort"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// Input is a configuration and a running session.
type Input struct {
	Session string
	// Desired is the configuration as podspec.Render renders it (with
	// UUID: NoUUID, so uuids are compared only where it gives them).
	Desired []podspec.Rendered
	// Pods and Services are the session's live objects (full objects, as
	// the API returns them).
	Pods     []*corev1.Pod
	Services []*corev1.Service
	// Record is the session's record; nil or not Found works too: missing
	// processes are then NotCreated.
	Record *sessionrecord.Record
	// Keys are the session's label keys.
	Keys session.LabelKeys
}

// Compute compares the configuration with the running session.
func Compute(in Input) *Report {
	r := &Report{Session: in.Session, Missing: []Missing{}, Extra: []Extra{}, Changed: []Changed{}, Died: []Died{}}
	r.APIVersion, r.Kind = SchemaVersion, Kind
	pods := map[string]*corev1.Pod{}
	for _, p := range in.Pods {
		pods[p.Name] = p
	}
	services := map[string]*corev1.Service{}
	for _, s := range in.Services {
		services[s.Name] = s
	}
	desired := map[string]bool{}
	for i := range in.Desired {
		d := &in.Desired[i]
		name := d.Process.Name
		desired[name] = true
		pod := pods[name]
		if pod == nil {
			r.Missing = append(r.Missing, missing(name, in.Record.Entry(name)))
			continue
		}
		fields := Diff(d.Pod, pod, in.Keys, "pod")
		if d.Service != nil {
			fields = append(fields, diffService(d.Service, services[name], in.Keys)...)
		}
		if len(fields) > 0 {
			r.Changed = append(r.Changed, Changed{Name: name, Fields: fields})
		} else {
			r.Unchanged++
		}
	}
	for name, pod := range pods {
		v := process.FromPod(pod, in.Keys)
		if !desired[name] {
			r.Extra = append(r.Extra, Extra{Name: name, UUID: v.UUID})
		}
		if v.State == process.Dead {
			r.Died = append(r.Died, Died{Name: name, UUID: v.UUID, ExitCode: v.Exit, Status: v.Status})
		}
	}
	sort.Slice(r.Missing, func(i, j int) bool { return r.Missing[i].Name < r.Missing[j].Name })
	sort.Slice(r.Extra, func(i, j int) bool { return r.Extra[i].Name < r.Extra[j].Name })
	sort.Slice(r.Changed, func(i, j int) bool { return r.Changed[i].Name < r.Changed[j].Name })
	sort.Slice(r.Died, func(i, j int) bool { return r.Died[i].Name < r.Died[j].Name })
	return r
}

func missing(name string, e *sessionrecord.Entry) Missing {
	m := Missing{Name: name, Reason: NotCreated}
	switch {
	case e == nil:
	case e.State == sessionrecord.StateKilled:
		code := e.KilledExit()
		m.Reason, m.ExitCode = Killed, &code
	case e.State == sessionrecord.StateFlushed:
		m.Reason = Flushed
	default:
		m.Reason = Lost
	}
	return m
}

// Diff compares a desired pod with a live one on the fields the renderer
// sets; object names them in the result ("pod").
func Diff(desired, live *corev1.Pod, keys session.LabelKeys, object string) []FieldChange {
	labels := compareLabelKeys(desired.Labels, keys)
	return compareFields(object, PodFields(desired, labels), PodFields(live, labels))
}

func diffService(desired, live *corev1.Service, keys session.LabelKeys) []FieldChange {
	if live == nil {
		// One line, not every field unset: the service is gone (it goes
		// with its pod when that is deleted).
		return []FieldChange{{Object: "service", Field: "metadata.name", Desired: ptr(desired.Name)}}
	}
	labels := compareLabelKeys(desired.Labels, keys)
	return compareFields("service", ServiceFields(desired, labels), ServiceFields(live, labels))
}

// compareFields lists the fields whose values differ, sorted by field.
func compareFields(object string, desired, live Fields) []FieldChange {
	var out []FieldChange
	for k, d := range desired {
		if l, ok := live[k]; !ok || l != d {
			fc := FieldChange{Object: object, Field: k, Desired: ptr(d)}
			if ok {
				fc.Live = ptr(l)
			}
			out = append(out, fc)
		}
	}
	for k, l := range live {
		if _, ok := desired[k]; !ok {
			out = append(out, FieldChange{Object: object, Field: k, Live: ptr(l)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func ptr(s string) *string { return &s }
