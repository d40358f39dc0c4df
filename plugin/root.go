// Package plugin assembles the kubectl-drunc command tree: the root command
// binds kubectl's global flags and each verb package adds one subcommand.
package plugin

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/klog/v2"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/apierror"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/boot"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/config"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/describe"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/diff"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/events"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/flush"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/kill"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/logs"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/ps"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/rbac"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/restart"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/status"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/terminate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/version"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/wait"
)

// NewCmd returns the root command, `kubectl drunc`.
func NewCmd(streams genericiooptions.IOStreams) *cobra.Command {
	return NewCmdWithFactory(cli.NewFactory(streams))
}

// NewCmdWithFactory returns the root command over f: its streams, and its
// clients when f was made with cli.NewFactoryWithClients (tests).
func NewCmdWithFactory(f *cli.Factory) *cobra.Command {
	streams := f.Streams
	root := &cobra.Command{
		Use:   "kubectl-drunc",
		Short: "Run DUNE DAQ drunc sessions on Kubernetes",
		Long: `kubectl drunc boots, inspects and controls DUNE DAQ run-control sessions on
Kubernetes. A session is a namespace; each of its processes is one pod,
labelled exactly as drunc's Kubernetes process manager labels it, so
kubectl drunc also lists and controls sessions that drunc booted. (drunc's
manager knows only the processes it booted itself, so it cannot see sessions
that kubectl drunc booted.)

Exit codes: 0 on success, 1 on an error; a boot, kill, restart, flush or
terminate stopped by Ctrl-C exits 130 (what it did is reported and
recorded); the streams (ps -w, events -w, logs -f) exit 0. status, diff
and wait say what their other codes mean.`,
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: "kubectl drunc"},
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	f.Flags.AddFlags(root.PersistentFlags())
	cli.AddColorFlag(root.PersistentFlags())

	// klog's -v only: the other klog flags would clutter every --help.
	klogFlags := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(klogFlags)
	root.PersistentFlags().AddGoFlag(klogFlags.Lookup("v"))

	root.AddCommand(
		version.NewCmd(f),
		boot.NewCmd(f),
		config.NewCmd(f),
		diff.NewCmd(f),
		ps.NewCmd(f),
		status.NewCmd(f),
		events.NewCmd(f),
		wait.NewCmd(f),
		logs.NewCmd(f),
		describe.NewCmd(f),
		rbac.NewCmd(f),
		kill.NewCmd(f),
		terminate.NewCmd(f),
		restart.NewCmd(f),
		flush.NewCmd(f),
	)
	cli.RegisterGlobalCompletions(root, f)
	cli.AddBuiltins(root)
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(streams genericiooptions.IOStreams, args []string) int {
	return ExecuteWithFactory(cli.NewFactory(streams), args)
}

// ExecuteWithFactory runs the command line over f. Every verb's Run gets one
// context, made here, that ends on Ctrl-C or SIGTERM: following and watching
// verbs then stop cleanly (exit 0) instead of being killed.
func ExecuteWithFactory(f *cli.Factory, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the default action comes back, so a second
	// Ctrl-C kills a verb that is still cleaning up (a boot rolling back).
	go func() { <-ctx.Done(); stop() }()
	cmd := NewCmdWithFactory(f)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(ctx); err != nil {
		if cli.IsSilent(err) { // the verb's output already said it
			return cli.ExitCode(err)
		}
		// Forbidden and Unauthorized become one sentence naming the fix.
		err = apierror.Explain(err)
		fmt.Fprintf(f.Streams.ErrOut, "error: %v\n", err)
		return cli.ExitCode(err)
	}
	return 0
}
