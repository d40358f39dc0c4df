package printers

import (
	"bytes"
	"io"
	"strings"
)

// ANSI colours of a STATUS. They are added to lines the table printer has
// already aligned, so escapes never count as cell width.
const (
	colorGreen  = "\x1b[32m"
	colorYellow = "\x1b[33m"
	colorRed    = "\x1b[31m"
	colorReset  = "\x1b[0m"
)

// StatusColor is the colour of a STATUS value: green when the process
// runs and is ready, yellow while it starts, stops or is not ready, red
// when it failed, was killed or lost; none ("") for a clean exit, an
// unknown state and the header.
func StatusColor(status string) string {
	switch status {
	case "Running":
		return colorGreen
	case "Pending", "ContainerCreating", "PodInitializing", "NotReady", "Terminating", "SchedulingGated":
		return colorYellow
	case "Completed", "Unknown", "STATUS":
		return ""
	}
	if strings.HasPrefix(status, "Init:") {
		return colorYellow
	}
	return colorRed
}

// StatusColorWriter colours the STATUS cell of every table line written
// through it: the field at index field (counted from 0, cells separated by
// spaces, as the table printer writes them). Lines are passed on whole;
// a line without that field passes unchanged. The header is left plain.
func StatusColorWriter(w io.Writer, field int) io.Writer {
	return &statusColorWriter{w: w, field: field}
}

type statusColorWriter struct {
	w       io.Writer
	field   int
	pending []byte
}

func (c *statusColorWriter) Write(p []byte) (int, error) {
	c.pending = append(c.pending, p...)
	for {
		i := bytes.IndexByte(c.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		if _, err := c.w.Write(ColorLine(c.pending[:i+1], c.field)); err != nil {
			return 0, err
		}
		c.pending = c.pending[i+1:]
	}
}

// ColorLine returns the line with its field-th cell coloured by StatusColor.
func ColorLine(line []byte, field int) []byte {
	start, end := fieldSpan(line, field)
	if start < 0 {
		return line
	}
	cell := string(line[start:end])
	color := StatusColor(cell)
	if color == "" {
		return line
	}
	out := make([]byte, 0, len(line)+len(color)+len(colorReset))
	out = append(out, line[:start]...)
	out = append(out, color...)
	out = append(out, cell...)
	out = append(out, colorReset...)
	return append(out, line[end:]...)
}

// fieldSpan is where the n-th space-separated cell of line is, -1 if none.
func fieldSpan(line []byte, n int) (int, int) {
	i, k := 0, 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if i >= len(line) || line[i] == '\n' {
			return -1, -1
		}
		start := i
		for i < len(line) && line[i] != ' ' && line[i] != '\t' && line[i] != '\n' {
			i++
		}
		if k == n {
			return start, i
		}
		k++
	}
	return -1, -1
}
