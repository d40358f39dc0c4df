package scale

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

// command runs bin ARGS (see proc.Run), passing each stdout line to onLine
// if set, until it exits or ctx ends (SIGINT then). step names the profile
// files when profiling.
func command(b *testing.B, ctx context.Context, step, bin string, onLine func(string, time.Time), args ...string) proc.Usage {
	return proc.Must(b, ctx, proc.Cmd{Bin: bin, Args: args, Env: profileEnv(step, bin), OnLine: onLine})
}

// profileEnv names the profile files of a step of the profiled plugin.
func profileEnv(step, bin string) []string {
	if *profileDir == "" || bin == kubectlPath {
		return nil
	}
	base := filepath.Join(*profileDir, fmt.Sprintf("%s-%d", step, *processes))
	return []string{"DRUNC_BENCH_CPUPROFILE=" + base + ".cpu.pprof", "DRUNC_BENCH_HEAPPROFILE=" + base + ".heap.pprof"}
}

var kubectlPath string

// binaries returns the plugin under test (or its profiled build with
// -profile) and the cluster build's kubectl.
func binaries(b *testing.B, tc *testcluster.Cluster) (plugin string) {
	kubectlPath = filepath.Join(tc.StateDir, "bin", "kubectl")
	if _, err := os.Stat(kubectlPath); err != nil {
		kubectlPath = "kubectl"
	}
	if *profileDir == "" {
		return testcluster.PluginBinary(b)
	}
	root, err := testcluster.RepoRoot()
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(*profileDir, 0o755); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(*profileDir, "kubectl-drunc-profiled")
	build := exec.Command("go", "build", "-o", bin, "./test/bench/internal/profiled")
	build.Dir = root
	// Static like make build, so its peak RSS compares with the plugin's.
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building the profiled plugin: %v\n%s", err, out)
	}
	return bin
}

// serverInFlight is the API server's own bound on mutating requests in
// flight (hack/cluster/up.sh: --max-mutating-requests-inflight=500).
const serverInFlight = 500

// parallelDo runs fn for every index in [0, n), as many at once as the API
// server takes in (serverInFlight): the bare contenders have no client-side
// limit, and more requests at once only wait in the server's queue until
// its request timeout (at 10,000 they did, and the server reset them).
func parallelDo(n int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(n, serverInFlight) {
		wg.Go(func() {
			for i := range work {
				fn(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}
