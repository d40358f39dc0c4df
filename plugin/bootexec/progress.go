package bootexec

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// liveEvery limits how often a live line is rewritten: a terminal cannot
// show more, and hundreds of creates must not cost hundreds of writes.
const liveEvery = 100 * time.Millisecond

// progress writes one line per stage: on a terminal the line is rewritten
// as counts change and then finished; otherwise only the finished line is
// printed, so logs of CI jobs stay readable.
type progress struct {
	w    io.Writer
	live bool

	mu      sync.Mutex
	open    bool // a live line is on screen, unfinished
	lastOut time.Time
	// lastWaiting: when waiting last printed a plain line.
	lastWaiting time.Time
}

func newProgress(w io.Writer, live bool) *progress { return &progress{w: w, live: live} }

// update shows the current state of a stage (live only, rate-limited).
func (p *progress) update(format string, a ...any) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.open && now.Sub(p.lastOut) < liveEvery {
		return
	}
	p.lastOut = now
	fmt.Fprintf(p.w, "\r\033[K"+format, a...)
	p.open = true
}

// waitingEvery is how often a plain (not live) progress repeats what a
// long wait is waiting for, so a log shows the run is not stuck.
const waitingEvery = 5 * time.Second

// waiting tells what a wait is waiting for: the live line on a terminal,
// else one plain line every waitingEvery.
func (p *progress) waiting(format string, a ...any) {
	if p.live {
		p.update(format, a...)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !p.lastWaiting.IsZero() && now.Sub(p.lastWaiting) < waitingEvery {
		return
	}
	p.lastWaiting = now
	fmt.Fprintf(p.w, format+"\n", a...)
}

// done finishes a stage's line.
func (p *progress) done(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live && p.open {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.open = false
	fmt.Fprintf(p.w, format+"\n", a...)
}

// counter counts a stage's creates or readiness for its live line.
type counter struct {
	p      *progress
	label  string
	total  int
	mu     sync.Mutex
	ok     int
	failed int
	// byOther: created meanwhile by a concurrent boot, not by this one.
	byOther int
}

func (p *progress) counter(label string, total int) *counter {
	c := &counter{p: p, label: label, total: total}
	c.show()
	return c
}

func (c *counter) add(ok bool) {
	c.mu.Lock()
	if ok {
		c.ok++
	} else {
		c.failed++
	}
	c.mu.Unlock()
	c.show()
}

// addByOther counts a process a concurrent boot created first.
func (c *counter) addByOther() {
	c.mu.Lock()
	c.byOther++
	c.mu.Unlock()
	c.show()
}

func (c *counter) show() { c.p.update("%s", c.line()) }

// line is "applications: created 18/41, 23 by a concurrent boot, 1 failed".
func (c *counter) line() string {
	c.mu.Lock()
	ok, failed, byOther := c.ok, c.failed, c.byOther
	c.mu.Unlock()
	line := fmt.Sprintf("%s: created %d/%d", c.label, ok, c.total)
	if byOther > 0 {
		line += fmt.Sprintf(", %d by a concurrent boot", byOther)
	}
	if failed > 0 {
		line += fmt.Sprintf(", %d failed", failed)
	}
	return line
}

// there is how many of the processes exist: created by this run or by a
// concurrent boot.
func (c *counter) there() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ok + c.byOther
}

func round(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}
