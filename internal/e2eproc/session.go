package e2eproc

import (
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Proc is one process of a test session: its name, tree id, executable,
// and the index of its host among the session's hosts.
type Proc struct {
	Name, TreeID, Exec string
	Host               int
}

// Render renders procs as a session of user on these hosts, as boot
// would. The connection server (exec gunicorn) binds port 8080; every
// other process runs its exec with -n <name>.
func Render(t *testing.T, ns, user string, hosts []string, procs []Proc) *podspec.Objects {
	t.Helper()
	s := &session.Session{Name: ns, User: user}
	for _, p := range procs {
		sp := session.Process{Name: p.Name, Host: hosts[p.Host], TreeID: p.TreeID}
		if p.Exec == "gunicorn" {
			sp.Executables = []session.Executable{{Exec: "gunicorn", Shell: "-b 0.0.0.0:8080 app"}}
		} else {
			sp.Executables = []session.Executable{{Exec: p.Exec, Args: []string{"-n", p.Name}}}
		}
		s.Processes = append(s.Processes, sp)
	}
	objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}
