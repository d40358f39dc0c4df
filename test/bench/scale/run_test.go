package scale

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// usage is what one command cost: wall time (fork to exit), peak memory
// (max RSS) and CPU time (user + system), from wait4's rusage.
type usage struct {
	Wall   time.Duration
	MaxRSS int64 // KiB
	CPU    time.Duration
	Lines  int
	Stderr string
}

func (u usage) String() string {
	return fmt.Sprintf("%.2f s wall, %.2f s CPU, %d MiB max RSS", u.Wall.Seconds(), u.CPU.Seconds(), u.MaxRSS/1024)
}

// command runs bin ARGS, counting its stdout lines (optionally passing each
// to onLine with the time it was read), until it exits or ctx ends (SIGINT
// then). step names the profile files when profiling.
func command(b *testing.B, ctx context.Context, step, bin string, onLine func(string, time.Time), args ...string) usage {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	cmd.Env = os.Environ()
	if *profileDir != "" && bin != kubectlPath {
		base := filepath.Join(*profileDir, fmt.Sprintf("%s-%d", step, *processes))
		cmd.Env = append(cmd.Env, "DRUNC_BENCH_CPUPROFILE="+base+".cpu.pprof", "DRUNC_BENCH_HEAPPROFILE="+base+".heap.pprof")
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	lines := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines++
		if onLine != nil {
			onLine(sc.Text(), time.Now())
		}
	}
	_, _ = io.Copy(io.Discard, out)
	err = cmd.Wait()
	u := usage{Wall: time.Since(t0), Lines: lines, Stderr: stderr.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.MaxRSS = ru.Maxrss
		u.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if err != nil && ctx.Err() == nil {
		b.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, lastLines(u.Stderr, 30))
	}
	return u
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
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
