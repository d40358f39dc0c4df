package printers

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/kubectl/pkg/cmd/get"
)

// The port is checked against kubectl's own package, which only this test
// imports: for every -o the same printer (same output, same error).

// kubectlFlags are get.PrintFlags as printers.Flags used them before the port.
func kubectlFlags() *get.PrintFlags {
	f := get.NewGetPrintFlags()
	f.HumanReadableFlags.SortBy = nil
	f.HumanReadableFlags.ShowKind = nil
	return f
}

// outputFlags is what get.PrintFlags and Flags both are.
type outputFlags interface {
	AddFlags(*cobra.Command)
	ToPrinter() (printers.ResourcePrinter, error)
}

// printWith parses args into the flags, then prints obj with the printer
// they choose; it returns the output, or the error.
func printWith(t *testing.T, f outputFlags, obj runtime.Object, args []string) string {
	t.Helper()
	cmd := &cobra.Command{Use: "x"}
	f.AddFlags(cmd)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	p, err := f.ToPrinter()
	if err != nil {
		return "error: " + err.Error()
	}
	var b bytes.Buffer
	if err := p.PrintObj(obj, &b); err != nil {
		return "error: " + err.Error()
	}
	return b.String()
}

func TestPrintFlagsPortMatchesKubectl(t *testing.T) {
	// The table printer adds the label columns to the table it prints:
	// each print gets objects of its own.
	objects := func() map[string]runtime.Object {
		views := fixture()
		pod := Typed(views[0].Pod)
		return map[string]runtime.Object{
			"list":        ListOf(views),
			"table":       TableOf(views, TableOptions{WithSession: true, Now: now}),
			"pod":         pod,
			"watch event": &metav1.WatchEvent{Type: string(watch.Modified), Object: runtime.RawExtension{Object: pod}},
		}
	}
	columnsFile := filepath.Join(t.TempDir(), "columns")
	if err := os.WriteFile(columnsFile, []byte("NAME  TREE   NODE\n.metadata.name {.metadata.labels.tree-id\\.drunc\\.daq} spec.nodeName\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badColumnsFile := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(badColumnsFile, []byte("NAME TREE\n.metadata.name\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	argsCases := [][]string{
		nil,
		{"-o", "wide"},
		{"--no-headers", "--show-labels"},
		{"-L", "app,tree-id.drunc.daq", "-o", "wide"},
		{"-o", "json"},
		{"-o", "yaml"},
		{"-o", "yaml", "--show-managed-fields"},
		{"-o", "name"},
		{"-o", "jsonpath={.items[*].metadata.name}"},
		{"-o", "jsonpath-as-json={.items[*].metadata.uid}"},
		{"-o", "go-template={{range .items}}{{.metadata.name}} {{end}}"},
		{"--template", "{{range .items}}{{.metadata.namespace}} {{end}}"},
		{"-o", "template", "--template", "{{len .items}}"},
		{"-o", "custom-columns=NAME:.metadata.name,TREE:{.metadata.labels.tree-id\\.drunc\\.daq},MISSING:status.nothing"},
		{"-o", "custom-columns=NAME:metadata.name,IMAGES:.spec.containers[*].name", "--no-headers"},
		{"-o", "custom-columns", "--template", "N:.metadata.name"},
		{"-o", "custom-columns-file=" + columnsFile},
		{"-o", "custom-columns-file", "--template", columnsFile},
		{"-o", "custom-columns-file=" + badColumnsFile},
		{"-o", "custom-columns-file=" + columnsFile + ".missing"},
		{"-o", "custom-columns="},
		{"-o", "custom-columns=NAME"},
		{"-o", "custom-columns=N:{.a}{.b}"},
		{"-o", "table"},
		{"-o", "xml"},
		{"-o", "jsonpath={.items["},
	}
	for _, args := range argsCases {
		for name := range objects() {
			want := printWith(t, kubectlFlags(), objects()[name], args)
			if got := printWith(t, NewFlags(), objects()[name], args); got != want {
				t.Errorf("%s %q:\n got %q\nwant %q", name, args, got, want)
			}
		}
	}
}

// The flags, their help and -o's completion are kubectl get's.
func TestPrintFlagsHelpMatchesKubectl(t *testing.T) {
	ours, theirs := &cobra.Command{Use: "x"}, &cobra.Command{Use: "x"}
	NewFlags().AddFlags(ours)
	kubectlFlags().AddFlags(theirs)
	describe := func(cmd *cobra.Command) string {
		var b strings.Builder
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			b.WriteString(f.Name + "|" + f.Shorthand + "|" + f.DefValue + "|" + f.Value.Type() + "|" + f.Usage + "\n")
		})
		return b.String()
	}
	if got, want := describe(ours), describe(theirs); got != want {
		t.Errorf("flags:\n%s\nwant:\n%s", got, want)
	}
	for _, typed := range []string{"", "j", "custom", "w", "zzz"} {
		complete := func(cmd *cobra.Command) []string {
			fn, ok := cmd.GetFlagCompletionFunc("output")
			if !ok {
				t.Fatal("no completion for -o")
			}
			comps, _ := fn(cmd, nil, typed)
			return comps
		}
		if got, want := complete(ours), complete(theirs); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("-o %q completes to %q, want %q", typed, got, want)
		}
	}
}
