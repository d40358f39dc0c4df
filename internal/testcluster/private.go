package testcluster

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Private starts a control plane of its own for one test (about 7 s, 0.6 GiB)
// and stops it when the test ends. Tests that disrupt the cluster
// (RestartAPIServer) use it, so that the tests sharing Get's cluster never
// see the outage. Skipped like Get when DRUNC_TEST_KUBECONFIG is unset.
func Private(t testing.TB, nodes ...string) *Cluster {
	t.Helper()
	if os.Getenv(KubeconfigEnv) == "" {
		t.Skipf("integration test skipped: %s is not set (run `make test`)", KubeconfigEnv)
	}
	if testing.Short() {
		t.Skip("integration test skipped in -short mode")
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "kubectl-drunc-private-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		started := recordedPIDs(dir)
		if out, err := clusterScript(context.Background(), root, dir, "down.sh").CombinedOutput(); err != nil {
			t.Errorf("stopping the private cluster in %s: %v\n%s", dir, err, out)
			return
		}
		// down.sh must end every process up.sh started, and leave nothing.
		for name, pid := range started {
			if running(pid) {
				t.Errorf("down.sh left %s (pid %d) of the private cluster in %s running", name, pid, dir)
			}
		}
		if !(t.Failed() && keep()) {
			_ = os.RemoveAll(dir)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := clusterScript(ctx, root, dir, "up.sh")
	cmd.Env = append(cmd.Env, "NODES="+strings.Join(nodes, " "))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("starting a private cluster in %s: %v\n%s", dir, err, out)
	}
	c, err := connect(filepath.Join(dir, "kubeconfig"))
	if err != nil {
		t.Fatalf("private cluster in %s: %v", dir, err)
	}
	c.private = true
	return c
}

// RestartAPIServer stops kube-apiserver and starts it again with the same
// flags (same etcd data), returning once it is ready. Only for a Private
// cluster: on the shared one it would break every test running meanwhile.
func (c *Cluster) RestartAPIServer(t testing.TB) { c.restart(t, "apiserver") }

// RestartEtcd restarts etcd (same data) and waits until the apiserver is
// ready again. Only for a Private cluster.
func (c *Cluster) RestartEtcd(t testing.TB) { c.restart(t, "etcd") }

func (c *Cluster) restart(t testing.TB, component string) {
	t.Helper()
	if !c.private {
		t.Fatalf("restarting %s of the shared test cluster would disrupt every other test: use testcluster.Private(t)", component)
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := clusterScript(ctx, root, c.StateDir, "restart.sh", component).CombinedOutput(); err != nil {
		t.Fatalf("restarting %s: %v\n%s", component, err, out)
	}
}

// clusterScript runs a hack/cluster script on the cluster in dir.
func clusterScript(ctx context.Context, root, dir, script string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "bash", append([]string{filepath.Join(root, "hack", "cluster", script)}, args...)...)
	cmd.Env = append(os.Environ(), "CLUSTER_DIR="+dir, "NODES=")
	return cmd
}
