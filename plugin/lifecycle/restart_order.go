package lifecycle

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// restartStage is one boot stage of a restart: processes created
// together, before every later stage.
type restartStage struct {
	// name is the kill stage's (StageLCS, "root-controller", ...).
	name  string
	items []toCreate
}

// gate is what a gate stage is called ("" for a stage that is not one).
// As at boot, the local connection server (every process resolves
// "localhost" to it) and the root controller are gates: the later
// processes of their session are created once they are up.
func (s restartStage) gate() string {
	switch s.name {
	case StageLCS:
		return "local connection server"
	case string(session.RoleRootController):
		return "root controller"
	}
	return ""
}

// bootStages groups the killed and the recorded processes in the stages
// boot creates them in: drunc's kill order reversed (the connection server
// first, applications last), whichever of the two each comes from.
func bootStages(kill *KillResult, byUID map[types.UID]*plan, recorded []*plan, cfg Config) []restartStage {
	keys := cfg.Cache.Keys()
	items := map[*corev1.Pod]toCreate{}
	var pods []*corev1.Pod
	for _, k := range kill.Killed {
		pl := byUID[k.View.UID]
		items[pl.old] = toCreate{view: k.View, plan: pl, gone: k.Gone}
		pods = append(pods, pl.old)
	}
	for _, pl := range recorded {
		items[pl.pod] = toCreate{view: process.FromPod(pl.pod, keys), plan: pl, gone: true}
		pods = append(pods, pl.pod)
	}
	stages := KillStages(pods, keys)
	out := make([]restartStage, 0, len(stages))
	for s := len(stages) - 1; s >= 0; s-- {
		st := restartStage{name: stages[s].Name}
		for i := len(stages[s].Pods) - 1; i >= 0; i-- {
			st.items = append(st.items, items[stages[s].Pods[i]])
		}
		out = append(out, st)
	}
	return out
}

// session is the session of the process to create.
func (it toCreate) session() string {
	if it.view.Session != "" {
		return it.view.Session
	}
	return it.plan.pod.Namespace
}
