package rbac

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

// run executes the verb with no reachable cluster and no kubeconfig: rbac
// only prints.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	f := cli.NewFactory(streams)
	cmd := NewCmd(f)
	f.Flags.AddFlags(cmd.PersistentFlags())
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return out.String(), err
}

func TestPrintsRoleAndBindingWithoutCluster(t *testing.T) {
	out, err := run(t, "--user", "alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"kind: ClusterRole\n", "kind: ClusterRoleBinding\n", "name: kubectl-drunc:user:alice", "- pods/log"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = run(t, "--serviceaccount", "ci:runner", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Kind  string
		Items []struct{ Kind string }
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Kind != "List" || len(list.Items) != 2 {
		t.Errorf("-o json: %v %+v\n%s", err, list, out)
	}
}

func TestBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--namespace-scoped", "--user", "bob"}, "add -n SESSION"},
		{[]string{"--namespace-scoped", "-n", "run42"}, "add --user, --group or --serviceaccount"},
		{[]string{"--serviceaccount", "runner"}, "NAMESPACE:NAME"},
		{[]string{"-o", "wide"}, "use yaml or json"},
	} {
		if _, err := run(t, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("rbac %v: err = %v, want it to contain %q", c.args, err, c.want)
		}
	}
}
