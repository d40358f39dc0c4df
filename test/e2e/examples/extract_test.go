// Package examples runs every example command of the documentation (README,
// docs/, examples/ READMEs) and of every command's --help against a local
// cluster, so that an example that no longer works fails a test. Examples
// are read at run time: a new or changed one is tested as it is written.
package examples

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

// example is one command line as a reader would type it.
type example struct {
	Where   string // file:line, or "kubectl drunc VERB --help"
	Command string // continuation lines joined
	Help    bool   // from a --help text (acts on the run42 fixture session)
}

// docFiles are the documents whose examples run: the README, docs/ (but
// not docs/commands, generated from the help, whose examples run from the
// help itself) and the examples' READMEs.
func docFiles(t *testing.T, root string) []string {
	t.Helper()
	files := []string{filepath.Join(root, "README.md")}
	for _, pattern := range []string{"docs/*.md", "examples/*/README.md"} {
		more, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	return files
}

// docExamples returns the commands of ```sh blocks in a Markdown file that
// run kubectl drunc or a script of the repository (hack/...).
func docExamples(t *testing.T, root, file string) []example {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rel, _ := filepath.Rel(root, file)
	var out []example
	inSh := false
	var cur *example
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"):
			inSh = trimmed == "```sh" || trimmed == "```bash"
			continue
		case !inSh:
			continue
		}
		if cur != nil {
			cur.Command += " " + strings.TrimSuffix(trimmed, `\`)
		} else if runnable(trimmed) || strings.HasPrefix(trimmed, "hack/") {
			out = append(out, example{Where: rel + ":" + strconv.Itoa(n), Command: strings.TrimSuffix(trimmed, `\`)})
			cur = &out[len(out)-1]
		}
		if cur != nil && !strings.HasSuffix(trimmed, `\`) {
			cur.Command = strings.Join(strings.Fields(cur.Command), " ")
			cur = nil
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// runnable: a line that runs kubectl drunc (`kubectl drunc ...`, also
// inside a pipe or `source <(...)`), not a comment.
func runnable(line string) bool {
	return strings.Contains(line, "kubectl drunc ") && !strings.HasPrefix(line, "#")
}

// helpExamples walks the command tree and returns each Example line that
// runs kubectl drunc.
func helpExamples() []example {
	root := plugin.NewCmd(genericiooptions.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})
	var out []example
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var cur *example
		for _, line := range strings.Split(c.Example, "\n") {
			trimmed := strings.TrimSpace(line)
			if cur != nil {
				cur.Command += " " + strings.TrimSuffix(trimmed, `\`)
			} else if runnable(trimmed) {
				out = append(out, example{Where: c.CommandPath() + " --help", Command: strings.TrimSuffix(trimmed, `\`), Help: true})
				cur = &out[len(out)-1]
			}
			if cur != nil && !strings.HasSuffix(trimmed, `\`) {
				cur.Command = strings.Join(strings.Fields(cur.Command), " ")
				cur = nil
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

// allExamples is the documents' examples in document order, then the help's.
func allExamples(t *testing.T) (root string, docs, help []example) {
	t.Helper()
	root, err := sharedoks.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range docFiles(t, root) {
		docs = append(docs, docExamples(t, root, f)...)
	}
	return root, docs, helpExamples()
}

// fileArgs are the files an example names (-f, --oks, --pm-config, or a
// script it runs), "-" (standard input) excepted.
func fileArgs(command string) []string {
	fields := strings.Fields(command)
	var files []string
	if strings.HasPrefix(command, "hack/") {
		files = append(files, fields[0])
	}
	for i, f := range fields {
		for _, flag := range []string{"-f", "--filename", "--oks", "--pm-config"} {
			value := ""
			switch {
			case f == flag && i+1 < len(fields):
				value = fields[i+1]
			case strings.HasPrefix(f, flag+"="):
				value = strings.TrimPrefix(f, flag+"=")
			}
			isFollow := flag == "-f" && (len(fields) < 3 || fields[2] != "boot") // logs -f
			if value != "" && value != "-" && !isFollow {
				files = append(files, strings.Trim(value, `'"`))
			}
		}
	}
	return files
}
