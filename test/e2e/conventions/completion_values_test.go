package conventions

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestCompleteFlagValues: --role and ps --status offer their fixed values,
// --host (every selecting verb) and boot --localhost the cluster's node
// names, boot --session-id the Sessions of the --oks file.
func TestCompleteFlagValues(t *testing.T) {
	tc := testcluster.Get(t)
	nodes := testcluster.NodeNames("complete-host", 2)
	tc.Nodes(t, nodes...)
	kc := "--kubeconfig=" + tc.Kubeconfig
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	oks := filepath.Join(root, "examples", "oks", "demo.data.xml")

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"ps", "--role", ""}, []string{"application", "root-controller", "segment-controller"}},
		{[]string{"kill", "--role", "seg"}, []string{"segment-controller"}},
		{[]string{"ps", "--status", "N"}, []string{"NodeLost", "NotReady"}},
		{[]string{"ps", "--status", ""}, []string{"Running", "Error", "Killed", "Lost", "Unschedulable"}},
		{[]string{"ps", "--host", ""}, nodes},
		{[]string{"kill", "--host", nodes[1]}, nodes[1:]},
		{[]string{"boot", "--localhost", ""}, nodes},
		{[]string{"boot", "--oks", oks, "--session-id", ""}, []string{"demo"}},
	} {
		out, stderr, code := plugin(t, nil, append([]string{"__complete", kc}, c.args...)...)
		got := lines(out)
		for _, w := range c.want {
			if code != 0 || !slices.Contains(got, w) {
				t.Errorf("__complete %v: exit %d, %v; want %s among them (stderr %q)", c.args, code, got, w, stderr)
			}
		}
	}
}
