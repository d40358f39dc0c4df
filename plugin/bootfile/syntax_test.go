package bootfile

import (
	"fmt"
	"strings"
	"testing"
)

// syntaxDoc is a valid boot file of 34 lines, seven processes from line 7.
func syntaxDoc() []string {
	var b strings.Builder
	b.WriteString("apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata:\n  name: s\nspec:\n  processes:\n")
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&b, "  - name: df-%02d\n    host: h\n    treeId: \"0.%d\"\n    executables: [{exec: x}]\n", i, i)
	}
	return strings.Split(b.String(), "\n")
}

// TestSyntaxErrorLinesMatchKubectl: a YAML syntax error names the line
// kubectl names for the same file (`kubectl create --dry-run=client -f`
// says "yaml: line N"; the lines below are what it reports).
func TestSyntaxErrorLinesMatchKubectl(t *testing.T) {
	cases := []struct {
		name string
		line int    // 1-based line to replace
		text string // its new text
		want string // kubectl's position and message
	}{
		{"tab", 30, "\texecutables: [{exec: x}]", ":30: not valid YAML: found character that cannot start any token"},
		{"unclosed quote", 21, `    treeId: "0.9`, ":24: not valid YAML: did not find expected key"},
		{"bad indent", 11, "      host: h", ":10: not valid YAML: did not find expected key"},
	}
	for _, c := range cases {
		lines := syntaxDoc()
		lines[c.line-1] = c.text
		_, err := Decode("f.yaml", []byte(strings.Join(lines, "\n")))
		if err == nil || !strings.Contains(err.Error(), "f.yaml"+c.want) {
			t.Errorf("%s: got %v, want f.yaml%s", c.name, err, c.want)
		}
	}
}
