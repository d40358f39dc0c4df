package ps

import (
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// StatusReady is the STATUS of a process that runs and is ready: --problems
// lists every other one.
const StatusReady = "Running"

// Statuses are the STATUS values ps shows (completion of --status); a pod
// may show another kubectl reason (e.g. ErrImagePull), which --status
// also accepts.
var Statuses = []string{
	"Running", "NotReady", "Pending", "Unschedulable", "ContainerCreating", "PodInitializing",
	"ImagePullBackOff", "CrashLoopBackOff", "Completed", "Error", "OOMKilled",
	"Terminating", "NodeLost", "Unknown", StatusKilled, StatusLost,
}

// statusFilter keeps the processes whose STATUS is one of --status (any
// case), or with --problems every process whose STATUS is not Running.
type statusFilter struct {
	statuses []string
	problems bool
}

func (f statusFilter) active() bool { return len(f.statuses) > 0 || f.problems }

func (f statusFilter) keeps(status string) bool {
	if f.problems && status == StatusReady {
		return false
	}
	if len(f.statuses) == 0 {
		return true
	}
	for _, s := range f.statuses {
		if strings.EqualFold(s, status) {
			return true
		}
	}
	return false
}

// apply filters views in place, keeping their order.
func (f statusFilter) apply(views []process.View) []process.View {
	if !f.active() {
		return views
	}
	out := views[:0]
	for _, v := range views {
		if f.keeps(v.Status) {
			out = append(out, v)
		}
	}
	return out
}
