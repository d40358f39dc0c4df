package okssession

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Explainer returns a function that points session problems (from
// validation or rendering) at the OKS object each process comes from:
// "file:line: RCApplication "x": <field>: <detail>". Other errors pass
// through unchanged.
func Explainer(db *oks.DB) func(error) error {
	return func(err error) error {
		var errs session.Errors
		if !errors.As(err, &errs) {
			return err
		}
		lines := make([]string, len(errs))
		for i, e := range errs {
			lines[i] = e.Error()
			if e.Process == "" {
				continue
			}
			if app := db.Get("Application", e.Process); app != nil {
				lines[i] = fmt.Sprintf("%s: %s %q: %s", app.Where(), app.Class, app.ID, fieldError(e))
			}
		}
		if len(lines) == 1 {
			return errors.New(lines[0])
		}
		return fmt.Errorf("%d problems:\n  %s", len(lines), strings.Join(lines, "\n  "))
	}
}

// fieldError drops the "processes[i]." prefix: the object names the process.
func fieldError(e *session.FieldError) string {
	field := e.Field
	if i := strings.Index(field, "]."); i >= 0 && strings.HasPrefix(field, "processes[") {
		field = field[i+2:]
	}
	if field == "" {
		return e.Detail
	}
	return field + ": " + e.Detail
}
