package health

import (
	"sort"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Input is what the summary is computed from.
type Input struct {
	// Pods are the selected processes' pods (any order, any sessions).
	Pods []*corev1.Pod
	Keys session.LabelKeys
	// Nodes index the cluster's nodes; nil when they could not be read,
	// and then no host is checked.
	Nodes Nodes
	// LastWarning returns the pod's most recent Warning event; nil when
	// events are not read.
	LastWarning func(types.UID) *corev1.Event
	// Absent are processes the session record lists that have no pod.
	// The record is kept by another part of kubectl drunc; until a caller
	// passes it, no process is Killed or Lost.
	Absent []Absent
}

// Absent is a recorded process without a pod.
type Absent struct {
	Session, Name, UUID, Host string
	Role                      session.Role
	// Killed: removed by kubectl drunc kill (kept until flushed); else the
	// pod vanished another way (kubectl delete, node loss).
	Killed bool
	// ExitCode is a killed process's recorded exit code (-1: it ran).
	ExitCode *int32
}

// Summarize computes the report, sessions by name.
func Summarize(in Input) *Report {
	r := &Report{HostsChecked: in.Nodes != nil, Healthy: true}
	r.APIVersion, r.Kind = SchemaVersion, Kind
	bySession := map[string]*builder{}
	get := func(name string) *builder {
		b := bySession[name]
		if b == nil {
			b = newBuilder(name)
			bySession[name] = b
		}
		return b
	}
	for _, pod := range in.Pods {
		v := process.FromPod(pod, in.Keys)
		get(v.Session).addPod(&v, in)
	}
	for _, a := range in.Absent {
		get(a.Session).addAbsent(a)
	}
	for _, b := range bySession {
		s := b.session(in.Nodes)
		r.Healthy = r.Healthy && s.Healthy
		r.Sessions = append(r.Sessions, s)
	}
	sort.Slice(r.Sessions, func(i, j int) bool { return r.Sessions[i].Name < r.Sessions[j].Name })
	return r
}

// builder accumulates one session.
type builder struct {
	s      Session
	states map[stateKey]int
	roles  map[string]*RoleCount
	hosts  map[string]int
}

type stateKey struct {
	state State
	exit  int32
}

func newBuilder(name string) *builder {
	return &builder{s: Session{Name: name}, states: map[stateKey]int{}, roles: map[string]*RoleCount{}, hosts: map[string]int{}}
}

func (b *builder) addPod(v *process.View, in Input) {
	var node *corev1.Node
	if in.Nodes != nil {
		node = in.Nodes[v.Pod.Spec.NodeName]
		if v.Host != "" {
			b.hosts[v.Host]++
		}
	}
	state := Classify(v, node)
	p := Process{Name: v.Name, Role: string(v.Role), Host: v.Host, State: state, Status: v.Status,
		ExitCode: v.Exit, Restarts: v.Restarts, UUID: v.UUID}
	p.LastRestart, p.LastExitCode = lastRestart(v)
	b.count(state, v.Exit, string(v.Role))
	switch {
	case !state.Healthy():
		p.Reason, p.Message = Reason(v, state, node)
		if in.LastWarning != nil {
			if ev := in.LastWarning(v.UID); ev != nil {
				p.LastWarning = eventOf(ev, metav1.NewTime(informers.EventTime(ev)))
			}
		}
		b.s.Problems = append(b.s.Problems, p)
	case v.Restarts > 0:
		b.s.Restarted = append(b.s.Restarted, p)
	}
}

func (b *builder) addAbsent(a Absent) {
	state := Lost
	if a.Killed {
		state = Killed
	}
	b.count(state, nil, string(a.Role))
	b.s.Problems = append(b.s.Problems, Process{Name: a.Name, Role: string(a.Role), Host: a.Host, State: state,
		Status: string(state), ExitCode: a.ExitCode, UUID: a.UUID, Reason: string(state)})
}

func (b *builder) count(state State, exit *int32, role string) {
	k := stateKey{state: state}
	if state == Exited && exit != nil {
		k.exit = *exit
	}
	b.states[k]++
	rc := b.roles[role]
	if rc == nil {
		rc = &RoleCount{Role: role}
		b.roles[role] = rc
	}
	rc.Processes++
	b.s.Processes++
	if state.Healthy() {
		rc.Ready++
		b.s.Ready++
	}
}

// session finishes the counts, in a stable order: states worst first
// (exit codes ascending), roles by name, problems worst first then by name.
func (b *builder) session(nodes Nodes) Session {
	s := b.s
	s.Healthy = s.Ready == s.Processes
	for k, n := range b.states {
		c := StateCount{State: k.state, Count: n}
		if k.state == Exited {
			code := k.exit
			c.ExitCode = &code
		}
		s.States = append(s.States, c)
	}
	sort.Slice(s.States, func(i, j int) bool {
		a, c := s.States[i], s.States[j]
		if a.State != c.State {
			return less(a.State, c.State)
		}
		return a.ExitCode != nil && c.ExitCode != nil && *a.ExitCode < *c.ExitCode
	})
	for _, rc := range b.roles {
		s.Roles = append(s.Roles, *rc)
	}
	sort.Slice(s.Roles, func(i, j int) bool { return s.Roles[i].Role < s.Roles[j].Role })
	sortProcesses(s.Problems)
	sortProcesses(s.Restarted)
	if nodes != nil {
		s.Hosts = hostsWithProblems(b.hosts, nodes)
	}
	s.Problems, s.Restarted, s.Hosts = orEmpty(s.Problems), orEmpty(s.Restarted), orEmpty(s.Hosts)
	return s
}

func sortProcesses(ps []Process) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].State != ps[j].State {
			return less(ps[i].State, ps[j].State)
		}
		return ps[i].Name < ps[j].Name
	})
}

// orEmpty makes JSON print [] rather than null: scripts index lists.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
