package boot_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/boot"
)

// TestHelpDryRunExamplesRun: every --dry-run=client example of boot --help
// runs as written from the repository's root, offline, and prints the
// objects. "cat FILE | kubectl drunc boot -f -" feeds FILE on stdin.
func TestHelpDryRunExamplesRun(t *testing.T) {
	cmd := boot.NewCmd(cli.NewFactory(genericiooptions.NewTestIOStreamsDiscard()))
	ran := 0
	for _, line := range strings.Split(cmd.Example, "\n") {
		line = strings.TrimSpace(line)
		if !strings.Contains(line, "kubectl drunc boot") || !strings.Contains(line, "--dry-run=client") {
			continue
		}
		t.Run(line, func(t *testing.T) {
			t.Chdir("../../..")
			stdin := ""
			if before, after, piped := strings.Cut(line, "|"); piped {
				words := strings.Fields(before)
				if len(words) != 2 || words[0] != "cat" {
					t.Fatalf("the example pipes something other than cat FILE: %q", before)
				}
				data, err := os.ReadFile(words[1])
				if err != nil {
					t.Fatalf("the example's file: %v", err)
				}
				stdin, line = string(data), strings.TrimSpace(after)
			}
			// The examples quote nothing: words are separated by spaces.
			args := strings.Fields(strings.TrimPrefix(line, "kubectl drunc "))
			stdout, stderr, code := runWithInput(t, stdin, args...)
			if code != 0 || stdout == "" {
				t.Fatalf("exit %d, %d bytes on stdout:\n%s", code, len(stdout), stderr)
			}
		})
		ran++
	}
	if ran < 3 {
		t.Fatalf("%d dry-run examples found in boot --help, want at least 3", ran)
	}
}

// runWithInput runs the command tree as the binary would, with stdin.
func runWithInput(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	code = plugin.Execute(genericiooptions.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}, args)
	return out.String(), errOut.String(), code
}
