package proc

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

func TestRunCountsLinesAndReadsRusage(t *testing.T) {
	var seen []string
	u, err := Run(context.Background(), Cmd{Bin: "sh", Args: []string{"-c", `echo one; echo two; echo oops >&2; echo "$X"; exit 3`},
		Env: []string{"X=three"}, OnLine: func(l string, _ time.Time) { seen = append(seen, l) }})
	var exit *exec.ExitError
	if !errors.As(err, &exit) || u.Code != 3 {
		t.Fatalf("err %v, code %d; want exit 3", err, u.Code)
	}
	if u.Lines != 3 || len(seen) != 3 || seen[2] != "three" {
		t.Errorf("lines %d, seen %q; want one, two, three", u.Lines, seen)
	}
	if u.Stderr != "oops\n" || u.Wall <= 0 || u.MaxRSS <= 0 {
		t.Errorf("stderr %q, wall %v, max RSS %d KiB", u.Stderr, u.Wall, u.MaxRSS)
	}
}

func TestRunInterruptsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	u, err := Run(ctx, Cmd{Bin: "sleep", Args: []string{"30"}})
	if err == nil || u.Wall > 10*time.Second {
		t.Errorf("err %v after %v; want sleep interrupted at once", err, u.Wall)
	}
	if MedianWall([]Usage{{Wall: 3}, {Wall: 1}, {Wall: 2}}).Wall != 2 {
		t.Error("MedianWall")
	}
}

// A command's peak RSS is its own, not the benchmark's: this test holds
// far more memory than the command it starts.
func TestRunReportsTheCommandsOwnPeakRSS(t *testing.T) {
	held := make([]byte, 256<<20)
	for i := range held {
		held[i] = 1
	}
	u, err := Run(context.Background(), Cmd{Bin: "true"})
	if err != nil {
		t.Fatal(err)
	}
	if u.MaxRSS <= 0 || u.MaxRSS > 64<<10 {
		t.Errorf("true's max RSS: %d KiB; want its own (a few MiB), not this test's 256 MiB", u.MaxRSS)
	}
	runtime.KeepAlive(held)
}
