package bootfile

import (
	"fmt"
	"strings"
)

// Problem is one error in a boot file.
type Problem struct {
	Line    int    // 0 when unknown
	Process string // "" when not about one process
	Field   string // document field path, e.g. spec.processes[2].host
	Detail  string
}

// Error lists every problem of a boot file, one per line, each starting
// with FILE:LINE like a compiler's messages.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = e.format(p)
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%s: %d problems:\n  %s", e.File, len(lines), strings.Join(lines, "\n  "))
}

func (e *Error) format(p Problem) string {
	var b strings.Builder
	b.WriteString(e.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Process != "" {
		fmt.Fprintf(&b, "process %q: ", p.Process)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Detail)
	return b.String()
}
