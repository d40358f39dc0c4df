// Package podspec renders a session into the Kubernetes objects drunc's
// Kubernetes process manager would create for it: one Namespace, and per
// process one Pod and one Service, shaped exactly as drunc shapes them. It
// is a pure function: no cluster, no clock, no randomness except the UUID
// source given in Options.
package podspec

import (
	"fmt"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Options are the inputs of Render that come from the invoking user rather
// than from the session or the settings.
type Options struct {
	// RunAsUser and RunAsGroup go into the pod and container security
	// contexts (fsGroup = RunAsGroup); nil leaves them unset.
	RunAsUser, RunAsGroup *int64
	// UUID returns a new process UUID for processes that have none; nil
	// means random UUIDv4 (tests pass a deterministic source).
	UUID func() string
}

// Objects is everything a session boot creates.
type Objects struct {
	Namespace *corev1.Namespace
	// Processes in boot order (see session.Session.Stages).
	Processes []Rendered
	// StageSizes gives how many consecutive Processes form each boot stage,
	// with StageNames; processes of one stage may be created in parallel.
	StageSizes []int
	StageNames []string
}

// Rendered is one process's objects.
type Rendered struct {
	// Process is the process with its UUID filled in.
	Process session.Process
	Role    session.Role
	Pod     *corev1.Pod
	// Service is named like the pod. Its ownerReference to the pod has no
	// UID yet: call OwnService with the created pod before creating it.
	Service *corev1.Service
}

// Stages returns Processes grouped by boot stage.
func (o *Objects) Stages() [][]Rendered {
	var out [][]Rendered
	i := 0
	for _, n := range o.StageSizes {
		out = append(out, o.Processes[i:i+n])
		i += n
	}
	return out
}

// LCS returns the local connection server, or nil if the session has none.
func (o *Objects) LCS() *Rendered {
	for i := range o.Processes {
		if isLCS(&o.Processes[i].Process) {
			return &o.Processes[i]
		}
	}
	return nil
}

// Render validates the session against the settings and renders it. All
// problems are returned together as session.Errors.
func Render(s *session.Session, st *pmconfig.Settings, opts Options) (*Objects, error) {
	if st == nil {
		st = pmconfig.Default()
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	newUUID := opts.UUID
	if newUUID == nil {
		newUUID = func() string { return uuid.NewString() }
	}
	r := &renderer{s: s, st: st, keys: st.Keys(), opts: opts}
	objs := &Objects{Namespace: r.namespace()}
	index := map[string]int{}
	for i, p := range s.Processes {
		index[p.Name] = i
	}
	var errs session.Errors
	for _, stage := range s.Stages() {
		for _, p := range stage.Processes {
			if p.UUID == "" {
				p.UUID = newUUID()
			}
			rp, perrs := r.process(p, fmt.Sprintf("processes[%d]", index[p.Name]))
			errs = append(errs, perrs...)
			if rp != nil {
				objs.Processes = append(objs.Processes, *rp)
			}
		}
		objs.StageSizes = append(objs.StageSizes, len(stage.Processes))
		objs.StageNames = append(objs.StageNames, stage.Name)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return objs, nil
}

type renderer struct {
	s    *session.Session
	st   *pmconfig.Settings
	keys session.LabelKeys
	opts Options
}

// process renders one process; problems name the process and field.
func (r *renderer) process(p session.Process, field string) (*Rendered, session.Errors) {
	var errs session.Errors
	net, err := networkFor(&p)
	if err != nil {
		errs.Add(p.Name, field+".executables", "%v", err)
	}
	pod, perrs := r.pod(&p, net, field)
	errs = append(errs, perrs...)
	if len(errs) > 0 {
		return nil, errs
	}
	return &Rendered{Process: p, Role: p.Role(), Pod: pod, Service: r.service(&p, net)}, nil
}

func isLCS(p *session.Process) bool {
	return p.IsLCS() && p.Role() == session.RoleInfrastructure
}
