package lifecycle

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestStreamsEndWithTheSession: ps -w, events -w and logs -f of a session
// end (exit 0, saying why) once terminate has deleted it, as kubectl logs
// -f ends with its pod.
func TestStreamsEndWithTheSession(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, small)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	type stream struct {
		args []string
		out  strings.Builder
		done chan error
	}
	streams := []*stream{{args: []string{"ps", "-w"}}, {args: []string{"events", "-w"}}, {args: []string{"logs", "-f"}}}
	for _, s := range streams {
		cmd := tc.PluginCommand(t, ctx, append(s.args, "-n", ns)...)
		cmd.Stdout, cmd.Stderr = &s.out, &s.out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		s.done = make(chan error, 1)
		go func() { s.done <- cmd.Wait() }()
	}
	time.Sleep(2 * time.Second) // each has listed the session
	if _, errOut, code := tc.Plugin(t, "terminate", "-n", ns, "--timeout=2m"); code != 0 {
		t.Fatalf("terminate: exit %d\n%s", code, errOut)
	}
	for _, s := range streams {
		select {
		case err := <-s.done:
			if err != nil || !strings.Contains(s.out.String(), `session "`+ns+`" is gone`) {
				t.Errorf("%s: %v after the session was terminated, want exit 0 saying it is gone:\n%s", strings.Join(s.args, " "), err, s.out.String())
			}
		case <-time.After(60 * time.Second):
			t.Errorf("%s still runs a minute after the session was terminated:\n%s", strings.Join(s.args, " "), s.out.String())
		}
	}
}
