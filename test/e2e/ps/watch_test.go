package ps

import (
	"bufio"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// lines streams a reader's lines to a channel.
func lines(t *testing.T, scan *bufio.Scanner) <-chan string {
	ch := make(chan string, 1000)
	go func() {
		defer close(ch)
		for scan.Scan() {
			ch <- scan.Text()
		}
	}()
	return ch
}

// expect reads lines until one contains every want (bounded), and returns
// the lines read.
func expect(t *testing.T, ch <-chan string, within time.Duration, want ...string) []string {
	t.Helper()
	var seen []string
	deadline := time.After(within)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				t.Fatalf("output ended before a line with %q; read:\n%s", want, strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			all := true
			for _, w := range want {
				all = all && strings.Contains(l, w)
			}
			if all {
				return seen
			}
		case <-deadline:
			t.Fatalf("no line with %q within %s; read:\n%s", want, within, strings.Join(seen, "\n"))
		}
	}
}

// TestWatchAcrossAPIServerRestart: ps -w prints a line per transition
// (created Pending → Running → exited 3), keeps printing after the
// apiserver restarts mid-watch without repeating unchanged rows, and exits
// 0 on Ctrl-C. It runs on a private control plane: restarting the shared
// one would disturb the other tests.
func TestWatchAcrossAPIServerRestart(t *testing.T) {
	node := "np02-srv-001"
	tc := testcluster.Private(t, node)
	ns := tc.Namespace(t, "ps-watch")
	tc.WaitServiceAccount(t, ns)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "ps", "-n", ns, "-w", "--output-watch-events")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out, errs := lines(t, bufio.NewScanner(stdout)), lines(t, bufio.NewScanner(stderr))
	// The initial list is empty: said on stderr, and the watch is on.
	expect(t, errs, 30*time.Second, "No processes found in session")

	createPod(t, tc, ns, pythonPod("ru-01", "0.0", node, "alice"))
	expect(t, out, 30*time.Second, "EVENT", "NAME", "STATUS", "EXIT")
	expect(t, out, 10*time.Second, "ADDED", "ru-01", "Pending")
	expect(t, out, 30*time.Second, "MODIFIED", "ru-01", "Running", "<none>")
	tc.ExitPod(t, ns, "ru-01", 3)
	expect(t, out, 30*time.Second, "MODIFIED", "ru-01", "Error", " 3 ")

	tc.RestartAPIServer(t)

	createPod(t, tc, ns, pythonPod("df-01", "0.1", node, "alice"))
	after := expect(t, out, 90*time.Second, "df-01", "Running")
	tc.ExitPod(t, ns, "df-01", 0)
	after = append(after, expect(t, out, 30*time.Second, "df-01", "Completed", " 0 ")...)
	for _, l := range after {
		if strings.Contains(l, "ru-01") {
			t.Errorf("ru-01 did not change, yet its row was printed again after the restart: %q", l)
		}
	}

	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("ps -w after Ctrl-C: %v, want exit 0", err)
	}
}
