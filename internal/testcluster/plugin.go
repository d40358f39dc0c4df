package testcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// PluginEnv names a prebuilt kubectl-drunc binary to test (the Makefile sets
// it); without it the binary is built once per test process.
const PluginEnv = "DRUNC_TEST_PLUGIN"

// PluginTimeout bounds one Plugin run.
const PluginTimeout = 5 * time.Minute

var pluginBuild struct {
	once sync.Once
	path string
	err  error
}

// PluginBinary returns the path of the kubectl-drunc binary under test.
func PluginBinary(t testing.TB) string {
	t.Helper()
	pluginBuild.once.Do(func() { pluginBuild.path, pluginBuild.err = buildPlugin() })
	if pluginBuild.err != nil {
		t.Fatalf("building kubectl-drunc: %v", pluginBuild.err)
	}
	return pluginBuild.path
}

// Plugin runs `kubectl-drunc --kubeconfig=<admin> ARGS...` and returns its
// stdout, stderr and exit code. A run longer than PluginTimeout fails the test.
func (c *Cluster) Plugin(t testing.TB, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), PluginTimeout)
	defer cancel()
	cmd := c.PluginCommand(t, ctx, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("kubectl drunc %s: still running after %s\nstderr:\n%s", strings.Join(args, " "), PluginTimeout, errb.String())
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("running kubectl drunc %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// PluginCommand returns the command Plugin runs, unstarted, for tests that
// stream its output or signal it (ps -w, logs -f). The context kills it.
func (c *Cluster) PluginCommand(t testing.TB, ctx context.Context, args ...string) *exec.Cmd {
	t.Helper()
	return c.PluginCommandAs(t, ctx, c.Kubeconfig, args...)
}

// PluginCommandAs is PluginCommand with another kubeconfig (see UserKubeconfig).
func (c *Cluster) PluginCommandAs(t testing.TB, ctx context.Context, kubeconfig string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(ctx, PluginBinary(t), append([]string{"--kubeconfig=" + kubeconfig}, args...)...)
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	// SIGINT first, as a user's Ctrl-C; killed if it does not stop.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// buildPlugin compiles ./cmd/kubectl-drunc into a directory of this process,
// after removing such directories left by test processes that are gone.
func buildPlugin() (string, error) {
	if p := os.Getenv(PluginEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", PluginEnv, p, err)
		}
		return filepath.Abs(p)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "kubectl-drunc-e2e-*"))
	for _, dir := range old {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(dir), "kubectl-drunc-e2e-"))
		if err == nil && pid != os.Getpid() && syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.RemoveAll(dir)
		}
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("kubectl-drunc-e2e-%d", os.Getpid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "kubectl-drunc")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/kubectl-drunc")
	cmd.Dir = root
	// Static, as make build and the released binaries are: with cgo the
	// binary is dynamically linked and heavier in memory.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/kubectl-drunc: %v\n%s", err, out)
	}
	return bin, nil
}

// RepoRoot is the directory of the module's go.mod, found upwards from the
// working directory (a test runs in its package directory).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.HasPrefix(b, []byte("module github.com/kubectl-drunc/kubectl-drunc\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("repository root (go.mod of github.com/kubectl-drunc/kubectl-drunc) not found above the working directory")
		}
		dir = parent
	}
}
