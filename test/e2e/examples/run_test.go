package examples

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

const (
	exampleTimeout = 3 * time.Minute
	streamFor      = 8 * time.Second // how long a streaming example must run without error
)

// TestExamplesRun runs every example against a private local cluster (so
// `-A` examples and the examples' fixed NodePorts touch nobody else's
// sessions) with the fake nodes the examples name: the documents' examples
// in document order (the README's walk-through boots its own session), then
// each --help example on the fixture session run42.
func TestExamplesRun(t *testing.T) {
	root, docs, help := allExamples(t)
	tc := testcluster.Private(t, "np02-srv-001", "np02-srv-002", "np02-srv-003")
	r := newRunner(t, tc, root)
	for _, ex := range append(docs, help...) {
		t.Run(ex.Where+": "+ex.Command, func(t *testing.T) {
			if reason, ok := marked[ex.Command]; ok {
				t.Skipf("marked: %s", reason)
			}
			if needsDUNE(ex.Command) && r.dune == "" {
				t.Skipf("needs DUNE DAQ's configuration files (../shared/oks or %s)", sharedoks.EnvDir)
			}
			if ex.Help {
				r.ensureFixture(t)
			}
			r.run(t, ex)
		})
	}
}

type runner struct {
	tc   *testcluster.Cluster
	root string
	dune string   // DUNE's files, "" when absent
	env  []string // PATH with kubectl and kubectl-drunc, KUBECONFIG, CLUSTER_DIR
}

func newRunner(t *testing.T, tc *testcluster.Cluster, root string) *runner {
	bin := t.TempDir()
	if err := os.Symlink(testcluster.PluginBinary(t), filepath.Join(bin, "kubectl-drunc")); err != nil {
		t.Fatal(err)
	}
	kubectl := filepath.Join(tc.StateDir, "bin", "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		if kubectl, err = exec.LookPath("kubectl"); err != nil {
			t.Fatal("no kubectl: the examples run `kubectl drunc` as a user does")
		}
	}
	if err := os.Symlink(kubectl, filepath.Join(bin, "kubectl")); err != nil {
		t.Fatal(err)
	}
	r := &runner{tc: tc, root: root}
	if dir, err := sharedoks.Location(); err == nil {
		if _, err := os.Stat(filepath.Join(dir, sharedoks.ExampleConfigs)); err == nil {
			r.dune = dir
		}
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KUBECONFIG=") && !strings.HasPrefix(kv, "DUNEDAQ_DB_PATH=") && !strings.HasPrefix(kv, "PATH=") {
			r.env = append(r.env, kv)
		}
	}
	r.env = append(r.env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"KUBECONFIG="+tc.Kubeconfig, "CLUSTER_DIR="+tc.StateDir, "KUBECTL_PLUGINS_CURRENT_NAMESPACE=")
	if r.dune != "" {
		r.env = append(r.env, "DUNEDAQ_DB_PATH="+r.dune)
	}
	return r
}

// run runs one example as written, through bash from the repository root.
func (r *runner) run(t *testing.T, ex example) {
	for _, f := range fileArgs(ex.Command) {
		if !r.exists(f) {
			t.Fatalf("%s names %s, which does not exist", ex.Where, f)
		}
	}
	h := hooks[ex.Command]
	if h.before != nil {
		h.before(t, r.tc)
	}
	if h.during != nil {
		go h.during(t, r.tc)
	}
	ctx, cancel := context.WithTimeout(context.Background(), exampleTimeout)
	defer cancel()
	if streams(ex.Command) {
		r.stream(t, ctx, ex)
		return
	}
	command := ex.Command
	if redirect.MatchString(command) {
		command = redirect.ReplaceAllString(command, " > "+filepath.Join(t.TempDir(), "out"))
	}
	out, code := r.shell(t, ctx, command)
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %s\n%s", ex.Command, exampleTimeout, out)
	}
	if code != 0 {
		t.Fatalf("%s: exit %d\n%s", ex.Command, code, out)
	}
	t.Logf("%s\n%s", ex.Command, out)
}

// stream runs a streaming example for streamFor: it must not have ended
// with an error by then.
func (r *runner) stream(t *testing.T, ctx context.Context, ex example) {
	ctx, cancel := context.WithTimeout(ctx, streamFor)
	defer cancel()
	out, code := r.shell(t, ctx, ex.Command)
	if ctx.Err() == nil && code != 0 {
		t.Fatalf("%s: exit %d before %s\n%s", ex.Command, code, streamFor, out)
	}
	if _, ok := quiet[ex.Command]; !ok && strings.TrimSpace(out) == "" {
		t.Fatalf("%s: printed nothing in %s", ex.Command, streamFor)
	}
	t.Logf("%s (stopped after %s)\n%s", ex.Command, streamFor, out)
}

// shell runs a command line with bash (pipefail: a pipe fails when any of
// its commands does) and returns its combined output and exit code.
func (r *runner) shell(t *testing.T, ctx context.Context, command string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, "bash", "-o", "pipefail", "-c", command)
	cmd.Dir = r.root
	cmd.Env = r.env
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exit, ok := err.(*exec.ExitError); ok {
		return out.String(), exit.ExitCode()
	}
	if err != nil && ctx.Err() == nil {
		t.Fatalf("running %s: %v", command, err)
	}
	return out.String(), 0
}

// exists: a file an example names, relative to the repository root, or to
// DUNE's files for a DB-path-relative name.
func (r *runner) exists(name string) bool {
	for _, dir := range []string{r.root, r.dune} {
		if dir == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}
