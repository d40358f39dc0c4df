package logtail

import (
	"bufio"
	"fmt"
	"io"
	"sync"
)

// output serialises whole lines from concurrent streams onto one writer.
// When following, each line is flushed at once; otherwise lines are
// buffered and flushed at the end.
type output struct {
	mu     sync.Mutex
	w      *bufio.Writer
	err    io.Writer
	follow bool
}

func newOutput(out, errOut io.Writer, follow bool) *output {
	return &output{w: bufio.NewWriterSize(out, 64<<10), err: errOut, follow: follow}
}

// line writes one formatted line (newline included) in one piece.
func (o *output) line(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, _ = o.w.WriteString(s)
	if o.follow {
		_ = o.w.Flush()
	}
}

// note writes a message about a process on the error stream, after the
// lines printed so far, so the two streams read in order on a terminal.
func (o *output) note(proc, format string, args ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = o.w.Flush()
	fmt.Fprintf(o.err, "[%s] %s\n", proc, fmt.Sprintf(format, args...))
}

func (o *output) flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.w.Flush()
}
