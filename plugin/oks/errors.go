package oks

import (
	"fmt"
	"strings"
)

// Error is a problem in an OKS file, located by file and line (0 = unknown).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	msg := oneLine(e.Msg)
	switch {
	case e.File == "":
		return msg
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	default:
		return fmt.Sprintf("%s: %s", e.File, msg)
	}
}

func errorf(file string, line int, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// oneLine keeps every message on one line: values quoted from a file may
// hold newlines, and an error is read in a terminal or a CI log line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}
