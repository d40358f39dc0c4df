// Package proc runs a command of a benchmark (the plugin, kubectl) and reads
// what it cost: wall time from fork to exit, and the command's own peak
// memory (max RSS) and CPU time from its rusage, as the small rusage
// program that starts it reports them (see there why the benchmark cannot
// read them itself).
package proc

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Usage is what one command cost, and what it printed.
type Usage struct {
	Wall   time.Duration
	MaxRSS int64 // KiB
	CPU    time.Duration
	Lines  int // stdout lines
	Code   int // exit code, 128+N when signal N ended it; -1 when the rusage program did not exit by itself
	Stderr string
}

func (u Usage) String() string {
	return fmt.Sprintf("%.2f s wall, %.2f s CPU, %d MiB max RSS", u.Wall.Seconds(), u.CPU.Seconds(), u.MaxRSS/1024)
}

// Cmd is one command to run.
type Cmd struct {
	Bin  string
	Args []string
	Env  []string // added to this process's environment
	// OnLine gets each stdout line with the time it was read.
	OnLine func(line string, at time.Time)
}

// Run runs c until it exits or ctx ends (SIGINT then, killed 30 s later),
// counting its stdout lines. The error is cmd.Wait's (an *exec.ExitError
// for a non-zero exit), or a failure to start.
func Run(ctx context.Context, c Cmd) (Usage, error) {
	wrapper, err := rusageProgram()
	if err != nil {
		return Usage{}, err
	}
	report, err := os.CreateTemp("", "rusage-*")
	if err != nil {
		return Usage{}, err
	}
	_ = report.Close()
	defer func() { _ = os.Remove(report.Name()) }()
	cmd := exec.CommandContext(ctx, wrapper, append([]string{report.Name(), c.Bin}, c.Args...)...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	cmd.Env = append(os.Environ(), c.Env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return Usage{}, err
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return Usage{}, err
	}
	lines := 0
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines++
		if c.OnLine != nil {
			c.OnLine(sc.Text(), time.Now())
		}
	}
	_, _ = io.Copy(io.Discard, out)
	err = cmd.Wait()
	u := Usage{Code: -1, Wall: time.Since(t0), Lines: lines, Stderr: stderr.String()}
	if cmd.ProcessState != nil {
		u.Code = cmd.ProcessState.ExitCode()
	}
	if rss, cpu, ok := readReport(report.Name()); ok {
		u.MaxRSS, u.CPU = rss, cpu
	}
	return u, err
}

// readReport reads what the rusage program wrote: max RSS (KiB) and CPU
// time (ns) of the command.
func readReport(path string) (maxRSS int64, cpu time.Duration, ok bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(data))
	if len(f) != 2 {
		return 0, 0, false
	}
	rss, err1 := strconv.ParseInt(f[0], 10, 64)
	ns, err2 := strconv.ParseInt(f[1], 10, 64)
	return rss, time.Duration(ns), err1 == nil && err2 == nil
}

var (
	rusageOnce sync.Once
	rusagePath string
	rusageErr  error
)

// rusageProgram builds the rusage program once per benchmark binary, into
// one path of the user's cache that every run reuses (a temporary
// directory per run would be left behind: nothing removes it at exit). It is
// built beside that path and renamed over it, so runs at the same time never
// start a half-written file.
func rusageProgram() (string, error) {
	rusageOnce.Do(func() {
		cache, err := os.UserCacheDir()
		if err != nil {
			rusageErr = err
			return
		}
		dir := filepath.Join(cache, "kubectl-drunc")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			rusageErr = err
			return
		}
		tmp, err := os.MkdirTemp(dir, "bench-rusage-")
		if err != nil {
			rusageErr = err
			return
		}
		defer func() { _ = os.RemoveAll(tmp) }()
		built := filepath.Join(tmp, "rusage")
		out, err := exec.Command("go", "build", "-o", built, "github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc/rusage").CombinedOutput()
		if err != nil {
			rusageErr = fmt.Errorf("building the rusage program: %v\n%s", err, out)
			return
		}
		rusagePath = filepath.Join(dir, "bench-rusage")
		rusageErr = os.Rename(built, rusagePath)
	})
	return rusagePath, rusageErr
}

// Must is Run that fails the benchmark when the command fails, unless ctx
// ended first (a command stopped on purpose, as ps -w is).
func Must(b testing.TB, ctx context.Context, c Cmd) Usage {
	b.Helper()
	u, err := Run(ctx, c)
	if err != nil && ctx.Err() == nil {
		b.Fatalf("%s %s: %v\n%s", c.Bin, strings.Join(c.Args, " "), err, LastLines(u.Stderr, 30))
	}
	return u
}

// MedianWall is the run with the median wall time.
func MedianWall(us []Usage) Usage {
	if len(us) == 0 {
		return Usage{}
	}
	s := append([]Usage(nil), us...)
	for i := range s { // insertion sort by wall time: a handful of runs
		for j := i; j > 0 && s[j].Wall < s[j-1].Wall; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// LastLines is the last n lines of s.
func LastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
