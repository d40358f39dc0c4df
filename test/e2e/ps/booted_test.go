package ps

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestBootedAndPythonTogether: a session booted by `kubectl drunc boot`
// and a process added to it by hand with drunc's Python labels only are
// listed together, in tree order, both Running.
func TestBootedAndPythonTogether(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-boot", 1)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("ps-boot")
	h := hosts[0]
	e2eproc.BootFreshPorts(t, tc, name, func() string {
		return e2eproc.WriteBootFile(t, name,
			e2eproc.ConnectionServer(h, tc.NodePort(t)),
			e2eproc.RootController(h, "-s", name),
			e2eproc.App("ru-01", h, "0.0"))
	}, "-n", name, "--timeout=180s")
	createPod(t, tc, name, pythonPod("df-01", "0.1", hosts[0], "bob"))
	waitReady(t, tc, name, 4)

	out := ps(t, tc, "-n", name, "-o", "wide")
	var rows []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		rows = append(rows, strings.Join([]string{f[0], f[1], f[3], f[7]}, " ")) // name, role, status, tree id
	}
	want := []string{
		"root-controller root-controller Running 0",
		"ru-01 application Running 0.0",
		"df-01 application Running 0.1",
		"local-connection-server infrastructure-applications Running 1",
	}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("rows:\n got %q\nwant %q\n%s", rows, want, out)
	}
	if !strings.Contains(out, "  df-01") || !strings.Contains(out, "  ru-01") {
		t.Errorf("children of the root controller are not indented:\n%s", out)
	}
}
