package e2eproc

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// portTries bounds the boots BootFreshPorts tries.
const portTries = 4

// BootFreshPorts boots session from the boot file write returns, with
// --no-probe and args, and deletes the session when the test ends. write
// is called again for each try, to draw new NodePorts: a NodePort is
// cluster-wide, so another test may hold the one drawn; such a boot is
// tried again (once its namespace, if it made one, is gone), four times
// at most. Any other failure fails the test. It returns once the session's
// default ServiceAccount exists, so the test can create pods in it.
func BootFreshPorts(t *testing.T, tc *testcluster.Cluster, session string, write func() string, args ...string) {
	t.Helper()
	tc.DeleteNamespaceLater(t, session)
	for try := 1; ; try++ {
		file := write()
		_, stderr, code := tc.Plugin(t, append([]string{"boot", "-f", file, "--no-probe"}, args...)...)
		if code == 0 {
			break
		}
		if try == portTries || !strings.Contains(stderr, "provided port is already allocated") {
			t.Fatalf("boot -f %s (try %d) exited %d:\n%s", file, try, code, stderr)
		}
		tc.WaitNamespaceGone(t, session)
	}
	tc.WaitServiceAccount(t, session)
}
