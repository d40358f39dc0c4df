package boot_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

// run executes the real command tree, as the binary would.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	// No kubeconfig anywhere: a client dry run must not need one.
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	code = plugin.Execute(streams, args)
	return out.String(), errOut.String(), code
}

var goldenArgs = []string{"boot", "-f", "testdata/full-session.yaml", "--pm-config", "testdata/pm-config.json",
	"--dry-run=client", "--user", "alice", "--run-as-user", "1000", "--run-as-group", "1000"}

func TestGoldenYAML(t *testing.T) {
	stdout, stderr, code := run(t, append(goldenArgs, "-o", "yaml")...)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden.Assert(t, "full-session.golden.yaml", []byte(stdout))
}

// TestGoldenJSON: -o json is a v1 List holding the same objects in the same order.
func TestGoldenJSON(t *testing.T) {
	stdout, _, code := run(t, append(goldenArgs, "-o", "json")...)
	if code != 0 {
		t.Fatal("exit", code)
	}
	var list struct {
		Kind  string
		Items []map[string]any
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil || list.Kind != "List" {
		t.Fatalf("not a List: %v", err)
	}
	want, _ := os.ReadFile(filepath.Join("testdata", "full-session.golden.yaml"))
	docs := strings.Split(string(want), "\n---\n")
	if len(docs) != len(list.Items) {
		t.Fatalf("%d items, %d golden documents", len(list.Items), len(docs))
	}
	for i, doc := range docs {
		var want map[string]any
		if err := yaml.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(list.Items[i])
		if !bytes.Equal(a, b) {
			t.Errorf("item %d differs from the YAML output", i)
		}
	}
}

func TestOutputNameAndDefault(t *testing.T) {
	stdout, _, code := run(t, append(goldenArgs, "-o", "name")...)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 15 || lines[0] != "namespace/golden" || lines[1] != "pod/local-connection-server" ||
		lines[2] != "service/local-connection-server" || lines[3] != "pod/monitoring" || lines[5] != "pod/root-controller" {
		t.Fatalf("-o name:\n%s", stdout)
	}
	stdout, _, _ = run(t, goldenArgs...)
	if !strings.HasPrefix(stdout, "namespace/golden created (dry run)\npod/local-connection-server created (dry run)\n") {
		t.Fatalf("default output:\n%s", stdout)
	}
}

// TestSessionOverride: -n renames the session (namespace) everywhere.
func TestSessionOverride(t *testing.T) {
	stdout, _, code := run(t, append(goldenArgs, "-n", "renamed", "-o", "yaml")...)
	if code != 0 || strings.Contains(stdout, "namespace: golden") || strings.Count(stdout, "namespace: renamed") != 14 {
		t.Fatalf("exit %d:\n%.2000s", code, stdout)
	}
}

// TestRunsAsTheInvokingUserByDefault: without --run-as-user/--run-as-group
// the pods run with the invoking uid and gid.
func TestRunsAsTheInvokingUserByDefault(t *testing.T) {
	stdout, _, code := run(t, "boot", "-f", "testdata/full-session.yaml", "--pm-config", "testdata/pm-config.json", "--dry-run=client", "-o", "yaml")
	want := "    runAsGroup: " + strconv.Itoa(os.Getgid()) + "\n    runAsUser: " + strconv.Itoa(os.Getuid()) + "\n"
	if code != 0 || !strings.Contains(stdout, "  securityContext:\n    fsGroup: "+strconv.Itoa(os.Getgid())+"\n"+want) {
		t.Fatalf("exit %d; pod securityContext is not the invoking user's (%s):\n%.3000s", code, want, stdout)
	}
}
