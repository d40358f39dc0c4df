package boot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootexec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// summaryReasonWidth is where the summary's REASON column wraps on a terminal.
const summaryReasonWidth = 72

// ExecFlags are the flags of a boot that creates the session (no --dry-run).
type ExecFlags struct {
	Wait    bool
	Timeout time.Duration
	NoProbe bool
	// ProbeFakeNodes probes processes on kwok fake nodes too.
	ProbeFakeNodes bool
	Rollback       bool
	Replace        bool
	MaxInFlight    int
}

func (r *ExecFlags) AddFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&r.Wait, "wait", true, "Wait until every process is Ready (exit code 0 only then); --wait=false returns once everything is created")
	fs.DurationVar(&r.Timeout, "timeout", 0, "Bound all waiting of the boot (e.g. 2m); 0 means drunc's pod_ready_timeout (plus checking.service_startup_timeout for the connection server and the root controller)")
	fs.BoolVar(&r.NoProbe, "no-probe", false, "Do not check that the connection server answers HTTP and the root controller accepts TCP on <node>:<port> (for clusters whose node addresses are not reachable from here); processes on kwok fake nodes are never probed")
	fs.BoolVar(&r.ProbeFakeNodes, "probe-fake-nodes", false, "Probe processes on kwok fake nodes too (skipped by default, with a note: nothing runs on them; for tests that play the process on the node's address)")
	fs.BoolVar(&r.Rollback, "rollback", false, "When not every process comes up (or on Ctrl-C), delete what this boot created, including the session namespace (without it, a boot that stops before creating any process still deletes the namespace it created)")
	fs.BoolVar(&r.Replace, "replace", false, "In an existing session, kill and recreate the processes whose running spec differs from the configuration, in stage order (without it, boot lists them and exits 1 without touching anything)")
	fs.IntVar(&r.MaxInFlight, "max-in-flight", bootexec.DefaultMaxInFlight, "How many processes are created at once")
}

func (r *ExecFlags) validate() error {
	switch {
	case r.Timeout < 0:
		return errors.New("--timeout must be 0 or more")
	case r.MaxInFlight < 1:
		return errors.New("--max-in-flight must be 1 or more")
	}
	return nil
}

// boot creates the session with the boot executor and reports: progress on
// stderr, the table of processes that did not come up on stderr, one line
// on stdout when the session is up.
func (o *Options) boot(ctx context.Context, client kubernetes.Interface, objs *podspec.Objects, drawn map[string]bool) error {
	// Ctrl-C (the root's context) stops creating; what was created is
	// reported (and rolled back with --rollback), and the exit code is 130.
	errOut := o.f.Streams.ErrOut
	tty := isTerminal(errOut)
	res, err := bootexec.Run(ctx, bootexec.Config{
		Client:         client,
		Objects:        objs,
		Settings:       o.Settings,
		Source:         o.source.Record(),
		Wait:           o.Exec.Wait,
		Timeout:        o.Exec.Timeout,
		Probe:          !o.Exec.NoProbe,
		ProbeFakeNodes: o.Exec.ProbeFakeNodes,
		Rollback:       o.Exec.Rollback,
		Replace:        o.Exec.Replace,
		DrawnUUIDs:     drawn,
		MaxInFlight:    o.Exec.MaxInFlight,
		Progress:       errOut,
		Live:           tty,
	})
	var notReady *bootexec.NotReadyError
	var changed *bootexec.ChangedError
	switch {
	case err == nil && res.Completed:
		fmt.Fprintf(o.f.Streams.Out, "session/%s booted: %d created, %d already running (%s)\n", res.Session, res.Count(bootexec.Ready)+res.Count(bootexec.Created)-res.CountAlreadyRunning(), res.CountAlreadyRunning(), res.Total.Round(time.Millisecond))
		return nil
	case errors.As(err, &changed):
		if werr := changed.Report.WriteHuman(errOut); werr != nil {
			return werr
		}
		return &cli.ExitError{Code: 1, Err: err}
	case err == nil:
		what := "ready"
		if !o.Exec.Wait {
			what = "created"
		}
		fmt.Fprintf(o.f.Streams.Out, "session/%s booted: %d processes %s (%s)\n", res.Session, len(res.Processes), what, res.Total.Round(time.Millisecond))
		return nil
	case errors.As(err, &notReady):
		// On a terminal reasons wrap; in logs each process stays one line.
		width := 0
		if tty {
			width = summaryReasonWidth
		}
		if werr := bootexec.WriteSummary(errOut, res, width); werr != nil {
			return werr
		}
		code := 1
		if res.Interrupted {
			code = cli.ExitInterrupted
		}
		return &cli.ExitError{Code: code, Err: err}
	}
	return err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
