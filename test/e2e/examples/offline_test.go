package examples

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

// TestEveryExampleIsFound: no cluster needed. Each command with Example
// text yields at least one runnable line (one that starts with
// `kubectl drunc`), the README's walk-through is found, and every file an
// example names exists (DUNE's files only when present).
func TestEveryExampleIsFound(t *testing.T) {
	root, docs, help := allExamples(t)
	found := map[string]bool{}
	for _, ex := range help {
		found[strings.TrimSuffix(ex.Where, " --help")] = true
	}
	cmd := plugin.NewCmd(genericiooptions.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if strings.TrimSpace(c.Example) != "" && !found[c.CommandPath()] {
			t.Errorf("%s: its Example has no line starting with `kubectl drunc`, so none of it is tested", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd)

	var walkThrough bool
	for _, ex := range docs {
		walkThrough = walkThrough || strings.HasPrefix(ex.Where, "README.md:") && strings.HasPrefix(ex.Command, "kubectl drunc boot --oks examples/oks/demo.data.xml")
	}
	if !walkThrough || len(help) < 20 {
		t.Errorf("found %d document and %d help examples, README walk-through found: %v", len(docs), len(help), walkThrough)
	}

	// A mark that names no example any more hides nothing: remove it.
	all := map[string]bool{}
	for _, ex := range append(docs, help...) {
		all[ex.Command] = true
	}
	for _, marks := range []map[string]string{marked, quiet} {
		for command := range marks {
			if !all[command] {
				t.Errorf("marked example %q is no longer in any help or document: remove its mark", command)
			}
		}
	}

	dune := ""
	if dir, err := sharedoks.Location(); err == nil && duneThere(dir) {
		dune = dir
	}
	for _, ex := range append(docs, help...) {
		if _, ok := marked[ex.Command]; ok {
			continue
		}
		for _, f := range fileArgs(ex.Command) {
			if _, err := os.Stat(filepath.Join(root, f)); err == nil {
				continue
			}
			if needsDUNE(f) && dune == "" {
				continue // checked when DUNE's files are present
			}
			if _, err := os.Stat(filepath.Join(dune, f)); dune == "" || err != nil {
				t.Errorf("%s: %q names %s, which does not exist", ex.Where, ex.Command, f)
			}
		}
	}
}

// duneThere says whether DUNE's files are present in dir.
func duneThere(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, sharedoks.ExampleConfigs))
	return err == nil
}
