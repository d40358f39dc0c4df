// Package conventions proves the kubectl conventions of the plugin against
// the real control plane: User-Agent, multi-file KUBECONFIG, completion
// (with and without a cluster), and readable errors for missing RBAC.
package conventions

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// plugin runs the binary under test with exactly these arguments and the
// environment given (no --kubeconfig is added), bounded in time.
func plugin(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testcluster.PluginBinary(t), args...)
	cmd.Env = append(cleanEnv(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("kubectl-drunc %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// cleanEnv is the test's environment without any kubeconfig or colour
// preference, so each test states what it uses.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "KUBECONFIG", "NO_COLOR", testcluster.KubeconfigEnv:
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+os.TempDir())
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" && !strings.HasPrefix(l, ":") {
			name, _, _ := strings.Cut(l, "\t")
			out = append(out, name)
		}
	}
	return out
}
