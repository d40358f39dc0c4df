package cli

import (
	"context"
	"errors"
)

// ExitInterrupted is the exit code of a command stopped by Ctrl-C
// (128+SIGINT), as a shell reports it.
const ExitInterrupted = 130

// Interrupted is err with the exit code ExitInterrupted when ctx was
// cancelled (Ctrl-C, SIGTERM), so a script tells an interrupted command
// from a failed one; else err.
func Interrupted(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	return &ExitError{Code: ExitInterrupted, Err: err}
}

// ExitError carries a specific exit code (e.g. a wait that timed out) up to
// main without printing anything more than its message. Silent is for
// outcomes the verb's output already told (status's unhealthy screen): main
// then prints nothing and only sets the exit code.
type ExitError struct {
	Code   int
	Err    error
	Silent bool
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

// IsSilent tells whether err is an ExitError whose message was already
// shown, so main should print nothing.
func IsSilent(err error) bool {
	var e *ExitError
	return errors.As(err, &e) && e.Silent
}
