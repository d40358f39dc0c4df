package status

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
)

// TestExamplesRunAsWritten runs every example of status and events with a
// shell, `kubectl drunc` being the binary under test and run42 a healthy
// test session: each must succeed (a watch is stopped after 3 s).
func TestExamplesRunAsWritten(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("st-ex", 1)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "status-ex")
	create(t, tc, ns, hosts, procs[:1])
	statusUntil(t, tc, ns, func(r *health.Report) bool { return r.Healthy })

	// A kubectl that runs the plugin, as kubectl does for `kubectl drunc`.
	bin := t.TempDir()
	shim := "#!/bin/sh\n[ \"$1\" = drunc ] && shift\nexec " + testcluster.PluginBinary(t) + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "kubectl"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}
	root := plugin.NewCmd(genericiooptions.NewTestIOStreamsDiscard())
	for _, verb := range []string{"status", "events"} {
		cmd, _, err := root.Find([]string{verb})
		if err != nil {
			t.Fatal(err)
		}
		for _, example := range examples(cmd) {
			if strings.Contains(example, "jq") {
				if _, err := exec.LookPath("jq"); err != nil {
					t.Logf("skipped (no jq on this machine): %s", example)
					continue
				}
			}
			line := strings.ReplaceAll(example, "run42", ns)
			out, code := shell(t, bin, tc.Kubeconfig, line)
			// A watch is stopped by timeout (124); with -A the other
			// sessions of the shared cluster may be unhealthy (1).
			watch, all := strings.Contains(line, " -w"), strings.Contains(line, " -A")
			if code != 0 && !(watch && code == 124) && !(all && code == 1) {
				t.Errorf("%s: exit %d\n%s", example, code, out)
			}
			if strings.Contains(example, "echo healthy") && !strings.Contains(out, "healthy") {
				t.Errorf("%s: printed %q", example, out)
			}
		}
	}
}

// examples are the command lines of a command's Example.
func examples(cmd *cobra.Command) []string {
	var out []string
	for _, l := range strings.Split(cmd.Example, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "kubectl drunc") {
			out = append(out, l)
		}
	}
	return out
}

// shell runs a command line with kubectl on PATH (a watch for 3 s).
func shell(t *testing.T, bin, kubeconfig, line string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "timeout", "3", "sh", "-c", line)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "KUBECONFIG="+kubeconfig)
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return b.String(), exit.ExitCode()
	}
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return b.String(), 0
}
