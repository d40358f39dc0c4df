package lifecycle

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Stage is a group of pods killed together; the next stage starts once all
// of them are gone (or the stage timed out).
type Stage struct {
	// Name is the role, with the tree level for segment controllers
	// ("segment-controller level 2") and "local-connection-server" for the
	// LCS, which goes after the other infrastructure applications.
	Name string
	Pods []*corev1.Pod
}

// StageLCS is the last kill stage: everything resolves "localhost" to the
// local connection server, so it outlives every other process.
const StageLCS = "local-connection-server"

// KillStages orders pods as drunc kills a session: unknown, application,
// segment controllers deepest tree level first (one stage per level),
// root-controller, infrastructure applications, the local connection
// server. Sessions are not separated: with -A every session's applications
// go in the same stage. Empty stages are left out; within a stage pods are
// by session and name.
func KillStages(pods []*corev1.Pod, keys session.LabelKeys) []Stage {
	type key struct {
		rank  int
		level int // segment-controller depth, for ordering deepest first
	}
	groups := map[key][]*corev1.Pod{}
	for _, p := range pods {
		v := process.FromPod(p, keys)
		k := key{}
		switch v.Role {
		case session.RoleApplication:
			k.rank = 1
		case session.RoleSegmentController:
			k.rank, k.level = 2, v.Depth()
		case session.RoleRootController:
			k.rank = 3
		case session.RoleInfrastructure:
			k.rank = 4
			if (&session.Process{Name: p.Name}).IsLCS() {
				k.rank = 5
			}
		}
		groups[k] = append(groups[k], p)
	}
	keysOrdered := make([]key, 0, len(groups))
	for k := range groups {
		keysOrdered = append(keysOrdered, k)
	}
	sort.Slice(keysOrdered, func(i, j int) bool {
		a, b := keysOrdered[i], keysOrdered[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.level > b.level
	})
	out := make([]Stage, 0, len(keysOrdered))
	for _, k := range keysOrdered {
		ps := groups[k]
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].Namespace != ps[j].Namespace {
				return ps[i].Namespace < ps[j].Namespace
			}
			return ps[i].Name < ps[j].Name
		})
		out = append(out, Stage{Name: stageName(k.rank, k.level), Pods: ps})
	}
	return out
}

func stageName(rank, level int) string {
	switch rank {
	case 1:
		return string(session.RoleApplication)
	case 2:
		return fmt.Sprintf("%s level %d", session.RoleSegmentController, level)
	case 3:
		return string(session.RoleRootController)
	case 4:
		return string(session.RoleInfrastructure)
	case 5:
		return StageLCS
	}
	return string(session.RoleUnknown)
}
