package cli

import "errors"

// ExitError carries a specific exit code (e.g. a wait that timed out) up to
// main without printing anything more than its message.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode maps an error to the process exit code: ExitError's code, else 1.
func ExitCode(err error) int {
	var e *ExitError
	if errors.As(err, &e) && e.Code != 0 {
		return e.Code
	}
	return 1
}
