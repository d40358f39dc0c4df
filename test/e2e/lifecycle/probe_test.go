package lifecycle

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// bootWithPorts boots a connection server and a root controller that both
// listen on a NodePort, on one fresh kwok node with a loopback address of
// its own (other tests play processes on 127.0.0.1); it returns the session.
func bootWithPorts(t *testing.T, tc *testcluster.Cluster) string {
	t.Helper()
	hosts := testcluster.NodeNames("lc-probe", 1)
	tc.NodesAt(t, testcluster.LoopbackAddress(), hosts...)
	name := tc.UniqueName("lc-probe")
	h := hosts[0]
	e2eproc.BootFreshPorts(t, tc, name, func() string {
		ports := tc.NodePorts(t, 2)
		return e2eproc.WriteBootFile(t, name,
			e2eproc.ConnectionServer(h, ports[0]),
			e2eproc.RootController(h, "--port", fmt.Sprint(ports[1]), "-n", "root-controller"))
	}, "--timeout=120s")
	return name
}

// TestRestartProbes: on kwok fake nodes restart skips the probes, saying
// so, and succeeds at once; asked to probe them anyway, with nothing
// answering, each probe waits on its own deadline, says what it waits for
// while it waits, the root controller is not recreated behind a connection
// server that does not answer, and each process's error is its own (the root
// controller's is not "its node cannot be read" because the connection
// server's probe used up a shared deadline).
func TestRestartProbes(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootWithPorts(t, tc)
	sel := "local-connection-server|root-controller"

	start := time.Now()
	_, stderr, code := tc.Plugin(t, "restart", "-n", ns, sel)
	if code != 0 {
		t.Fatalf("restart on fake nodes exited %d:\n%s", code, stderr)
	}
	if n := strings.Count(stderr, "not checked"); n != 2 {
		t.Errorf("stderr says %d times a probe was not checked, want 2:\n%s", n, stderr)
	}
	if d := time.Since(start); d > 60*time.Second {
		t.Errorf("restart took %s on fake nodes", d)
	}

	// Together, the root controller is gated behind the connection server
	// as in boot: with nothing answering, only the server is recreated.
	_, stderr, code = tc.Plugin(t, "restart", "-n", ns, sel, "--timeout=6s", "--probe-fake-nodes")
	t.Logf("exit %d\n%s", code, stderr)
	if code == 0 {
		t.Fatal("restart exited 0 though nothing answers")
	}
	for _, want := range []string{
		"local-connection-server is Ready but does not answer HTTP on",
		"local-connection-server: waiting for HTTP on",
		"left: ",
		"it needs the local connection server",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	// Alone, the root controller's probe has a deadline of its own.
	_, stderr2, code := tc.Plugin(t, "restart", "-n", ns, "root-controller", "--timeout=6s", "--probe-fake-nodes")
	t.Logf("exit %d\n%s", code, stderr2)
	if code == 0 {
		t.Fatal("restart of the root controller exited 0 though nothing answers")
	}
	for _, want := range []string{"root-controller is Ready but does not answer TCP on", "root-controller: waiting for TCP on"} {
		if !strings.Contains(stderr2, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	stderr += stderr2
	if strings.Contains(stderr, "cannot be read") {
		t.Errorf("a probe's timeout was reported as a node that cannot be read")
	}
}
