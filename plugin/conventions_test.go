package plugin

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// TestEveryCommandFollowsKubectlConventions walks the whole command tree:
// each command reads `kubectl drunc ...` in its usage and --help, has a Short
// description and examples written as `kubectl drunc ...`.
func TestEveryCommandFollowsKubectlConventions(t *testing.T) {
	root := NewCmd(genericiooptions.NewTestIOStreamsDiscard())
	var visit func(c *cobra.Command)
	count := 0
	visit = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			visit(sub)
		}
		if c.Hidden {
			return
		}
		count++
		path := c.CommandPath()
		if !strings.HasPrefix(c.UseLine(), "kubectl drunc") {
			t.Errorf("%s: usage %q does not start with `kubectl drunc`", path, c.UseLine())
		}
		if strings.TrimSpace(c.Short) == "" {
			t.Errorf("%s: no Short description", path)
		}
		if c.HasParent() || c.Runnable() {
			if strings.TrimSpace(c.Example) == "" {
				t.Errorf("%s: no Example", path)
			} else if !strings.Contains(c.Example, "kubectl drunc") {
				t.Errorf("%s: examples do not show `kubectl drunc ...`:\n%s", path, c.Example)
			}
		}
		var out bytes.Buffer
		c.SetOut(&out)
		if err := c.Help(); err != nil {
			t.Errorf("%s --help: %v", path, err)
		}
		if !strings.Contains(out.String(), "Usage:\n  kubectl drunc") {
			t.Errorf("%s --help does not read `kubectl drunc ...`:\n%s", path, out.String())
		}
	}
	visit(root)
	if count < 4 { // root, version, rbac, completion at least
		t.Fatalf("walked only %d commands", count)
	}
}

// TestGlobalFlags: kubectl's connection flags, --color, and of klog's flags
// only -v (the others would clutter every --help).
func TestGlobalFlags(t *testing.T) {
	root := NewCmd(genericiooptions.NewTestIOStreamsDiscard())
	fs := root.PersistentFlags()
	for _, name := range []string{"kubeconfig", "context", "namespace", "as", "as-group", "server", "token", "request-timeout", "color", "v"} {
		if fs.Lookup(name) == nil {
			t.Errorf("global flag --%s is missing", name)
		}
	}
	for _, name := range []string{"logtostderr", "alsologtostderr", "log_dir", "vmodule", "stderrthreshold", "add_dir_header"} {
		if fs.Lookup(name) != nil {
			t.Errorf("klog flag --%s should not be exposed", name)
		}
	}
	if f := fs.Lookup("namespace"); f == nil || f.Shorthand != "n" {
		t.Error("-n is not the short form of --namespace")
	}
}
