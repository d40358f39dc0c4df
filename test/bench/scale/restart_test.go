package scale

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// apiSettle is how long the benchmark waits after the API server is back:
// the scheduler, the controller-manager and kwok list and watch again.
const apiSettle = 15 * time.Second

// restartAPIServer restarts the API server before each of the two sessions'
// lives (-restart-apiserver, off by default). After a session's life the API
// server's state made the next session's creates about 1.7x slower at 10,000
// processes, whoever booted it; a restart removes that, but at 400 processes
// boot read about a second slower after one, the contender not (BENCHMARKS.md,
// "Scale"). Only on a cluster started for this run: the shared one serves
// other tests.
func restartAPIServer(b *testing.B) {
	if !*restartAPI {
		return
	}
	dir := os.Getenv("CLUSTER_DIR")
	if os.Getenv("DRUNC_TEST_CLUSTER_STARTED") != "1" || dir == "" {
		progress("API server not restarted before the sessions: the cluster was not started for this run (make bench-scale starts one)")
		return
	}
	root, err := testcluster.RepoRoot()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "hack", "cluster", "restart.sh"), "apiserver")
	cmd.Env = append(os.Environ(), "CLUSTER_DIR="+dir, "NODES=")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("restarting the API server: %v\n%s", err, out)
	}
	time.Sleep(apiSettle)
	progress("API server restarted in %.1f s, then %s to settle", time.Since(start).Seconds()-apiSettle.Seconds(), apiSettle)
}
