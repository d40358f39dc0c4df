package scratch

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/dune"
)

func TestEval(t *testing.T) {
	hosts := []string{}
	for i := range 1000 {
		hosts = append(hosts, fmt.Sprintf("h%d", i))
	}
	for _, n := range []int{400, 4000, 10000} {
		objs, _ := podspec.Render(dune.Session("s", hosts, n), pmconfig.Default(), podspec.Options{})
		keys := session.Keys("")
		t0 := time.Now()
		var vs []process.View
		for _, r := range objs.Processes {
			vs = append(vs, process.FromPod(r.Pod, keys))
		}
		t1 := time.Now()
		process.SortTree(vs)
		t2 := time.Now()
		t.Logf("%d: FromPod %v, SortTree %v", n, t1.Sub(t0), t2.Sub(t1))
	}
}
