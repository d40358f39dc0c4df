package session

import (
	"fmt"
	"strings"
)

// FieldError is one problem in a session, named by process and field so the
// user can find it in the file they wrote.
type FieldError struct {
	// Process is the process name ("" for the session itself).
	Process string
	// Field is the field path, e.g. "processes[2].host" or "name".
	Field string
	// Detail says what is wrong and how to fix it.
	Detail string
}

func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Process != "" {
		fmt.Fprintf(&b, "process %q: ", e.Process)
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Detail)
	return b.String()
}

// Errors collects every problem found, so all are reported at once.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// Add appends a problem.
func (es *Errors) Add(process, field, format string, a ...any) {
	*es = append(*es, &FieldError{Process: process, Field: field, Detail: fmt.Sprintf(format, a...)})
}

// Err returns the collected errors, or nil when there are none.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
