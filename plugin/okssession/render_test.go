package okssession_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// TestEveryDUNESessionRenders: each Session of example-configs.data.xml
// becomes a valid session that the renderer turns into one pod and one
// service per process, pinned to the --localhost node, with the LCS and
// the root controller labelled with their roles.
func TestEveryDUNESessionRenders(t *testing.T) {
	dir := sharedoks.Dir(t)
	db, err := okssession.Read(okssession.Options{File: sharedoks.ExampleConfigs, DBPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, id := range db.IDsOf("Session") {
		s, err := okssession.Derive(db, okssession.Options{File: sharedoks.ExampleConfigs, SessionID: id, DBPath: dir,
			LocalhostNode: "np02-srv-001", User: "shifter", LogDir: "/var/log/daq"})
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		seq := 0
		objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{UUID: func() string {
			seq++
			return fmt.Sprintf("00000000-0000-4000-8000-%012d", seq)
		}})
		if err != nil {
			t.Fatalf("%s: %v", id, okssession.Explainer(db)(err))
		}
		if objs.Namespace.Name != id || len(objs.Processes) != len(s.Processes) {
			t.Fatalf("%s: namespace %q, %d of %d processes", id, objs.Namespace.Name, len(objs.Processes), len(s.Processes))
		}
		keys := pmconfig.Default().Keys()
		for _, r := range objs.Processes {
			pod := r.Pod
			if pod.Spec.NodeSelector["kubernetes.io/hostname"] != "np02-srv-001" || r.Service == nil {
				t.Errorf("%s/%s: node selector %v, service %v", id, pod.Name, pod.Spec.NodeSelector, r.Service != nil)
			}
			role, tree := pod.Labels[keys.Role()], pod.Labels[keys.TreeID()]
			switch pod.Name {
			case "root-controller":
				if role != "root-controller" || tree != "0" {
					t.Errorf("%s: root-controller labelled %s %s", id, role, tree)
				}
			case "local-connection-server":
				n++
				if role != "infrastructure-applications" || tree != "1" {
					t.Errorf("%s: LCS labelled %s %s", id, role, tree)
				}
			}
			if !strings.Contains(strings.Join(pod.Spec.Containers[0].Args, " "), "log_shifter_"+id+"_"+pod.Name+".txt") {
				t.Errorf("%s/%s: log file missing from the script: %q", id, pod.Name, pod.Spec.Containers[0].Args)
			}
		}
	}
	if n != 2 { // only the two local-* Sessions have the LCS
		t.Errorf("LCS rendered %d times, want 2", n)
	}
}
