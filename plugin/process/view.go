// Package process turns a drunc pod into the process an operator thinks of:
// session, name, role, tree position, host, user, status and exit code. It
// reads only labels, spec and status, so pods booted by drunc's Python
// manager (drunc's labels only) look like any other.
package process

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// HostLabel is how drunc pins a process to its host.
const HostLabel = "kubernetes.io/hostname"

// View is one process, derived from its pod.
type View struct {
	Session    string // namespace
	Name       string // pod name = drunc process name
	UID        types.UID
	UUID       string
	TreeID     string
	Role       session.Role
	Host       string // nodeSelector hostname, else the node it runs on
	User       string
	IP         string
	Executable string

	// Status is the STATUS column: kubectl's pod status, refined (see Status).
	Status string
	// State classifies Status for waits: what a process is doing now.
	State State
	// Exit is the main container's exit code once it terminated, else nil.
	Exit     *int32
	Restarts int32
	Ready    bool
	Created  time.Time
	// Rank is the position in the whole session's order (1, 2, ...) when
	// the view was selected from it (Selected); 0 when unknown. SortTree
	// keeps ranked views in that order.
	Rank int

	Pod *corev1.Pod
}

// State is the coarse life stage of a process.
type State int

const (
	// Starting: not yet running (Pending, ContainerCreating, pulling...).
	Starting State = iota
	// Running: its containers run (Ready tells whether it is ready).
	Running
	// Dead: it exited (Succeeded/Failed, or its container terminated for
	// good) and will not run again without a restart.
	Dead
	// Terminating: deletion requested, still there.
	Terminating
)

func (s State) String() string {
	return [...]string{"starting", "running", "dead", "terminating"}[s]
}

// FromPod derives the process view; keys give drunc's label domain.
func FromPod(pod *corev1.Pod, keys session.LabelKeys) View {
	l := pod.Labels
	v := View{
		Session: pod.Namespace,
		Name:    pod.Name,
		UID:     pod.UID,
		UUID:    l[keys.UUID()],
		TreeID:  l[keys.TreeID()],
		Role:    session.Role(l[keys.Role()]),
		Host:    pod.Spec.NodeSelector[HostLabel],
		User:    userOf(pod, keys),
		IP:      pod.Status.PodIP,
		Created: pod.CreationTimestamp.Time,
		Pod:     pod,
	}
	if v.Role == "" {
		v.Role = session.DeriveRole(v.TreeID, isController(pod))
	}
	if v.Host == "" {
		v.Host = pod.Spec.NodeName
	}
	v.Executable = Executable(pod)
	v.Status = Status(pod)
	v.Restarts = restarts(pod)
	v.Ready = isReady(pod)
	v.Exit = exitCode(pod)
	v.State = stateOf(pod, v.Exit)
	return v
}

// Depth is the process's level in the control tree (indentation).
func (v *View) Depth() int { return session.Depth(v.TreeID) }

// userOf reads the user label if a renderer wrote one, else the USER env of
// the first container (what drunc's Python manager sets).
func userOf(pod *corev1.Pod, keys session.LabelKeys) string {
	if u := pod.Labels["user."+keys.Domain]; u != "" {
		return u
	}
	for _, c := range pod.Spec.Containers {
		for _, e := range c.Env {
			if e.Name == "USER" {
				return e.Value
			}
		}
	}
	return ""
}

func isController(pod *corev1.Pod) bool {
	for _, c := range pod.Spec.Containers {
		for _, s := range append(append([]string{}, c.Command...), c.Args...) {
			if strings.Contains(s, session.ControllerExecutable) {
				return true
			}
		}
	}
	return false
}
