// Package diff implements `kubectl drunc diff`: what a boot of a
// configuration would change in a running session (plugin/sessiondiff),
// with kubectl diff's exit codes.
package diff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessiondiff"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/boot"
)

// Exit codes, as kubectl diff's: no differences, differences, an error.
const (
	ExitSame    = 0
	ExitDiffers = 1
	ExitError   = 2
)

// Options of diff.
type Options struct {
	f *cli.Factory
	// Sources are boot's ways to give a configuration; exactly one is used.
	Sources     []boot.Source
	PMConfig    string
	LabelDomain string
	Output      string

	session  string
	source   boot.Source
	settings *pmconfig.Settings
}

// NewCmd returns `kubectl drunc diff`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Sources: []boot.Source{&boot.FileSource{}, &boot.OKSSource{}}}
	cmd := &cobra.Command{
		Use:     "diff [-n SESSION] (-f FILE | --oks FILE [--session-id ID]) [--pm-config FILE] [-o json|yaml]",
		Short:   "Show what a boot of a configuration would change in a running session",
		Long:    diffLong,
		Example: diffExamples,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return asError(cli.Run(o, f, cmd, args))
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return asError(err) })
	fs := cmd.Flags()
	for _, s := range o.Sources {
		s.AddFlags(fs)
	}
	fs.StringVar(&o.PMConfig, "pm-config", "", "drunc's Kubernetes process-manager configuration (JSON) the session was booted with")
	fs.StringVarP(&o.Output, "output", "o", "", "Output format: json or yaml (the report's stable model, for scripts); default: for people")
	cli.AddLabelDomainFlag(fs, &o.LabelDomain)
	return cmd
}

// asError gives every error but "differences found" kubectl diff's exit
// code for errors.
func asError(err error) error {
	var exit *cli.ExitError
	if err == nil || errors.As(err, &exit) {
		return err
	}
	return &cli.ExitError{Code: ExitError, Err: err}
}

// Complete reads the session, the settings and the source.
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, _ []string) error {
	if f.Flags.Namespace != nil {
		o.session = *f.Flags.Namespace
	}
	st, warnings, err := pmconfig.Load(o.PMConfig)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(f.Streams.ErrOut, "Warning: %s\n", w)
	}
	if cmd.Flags().Changed(cli.LabelDomainFlag) {
		if err := cli.CheckLabelDomainFlag(o.LabelDomain); err != nil {
			return err
		}
		st.LabelDomain = o.LabelDomain
	}
	o.settings = st
	return nil
}

// Validate checks the flags before anything is read.
func (o *Options) Validate() error {
	var names []string
	for _, s := range o.Sources {
		names = append(names, s.FlagNames())
		if s.Given() {
			if o.source != nil {
				return fmt.Errorf("give the configuration one way only: %s are exclusive", strings.Join(names, ", "))
			}
			o.source = s
		}
	}
	switch {
	case o.source == nil:
		return fmt.Errorf("give the configuration to compare with %s", strings.Join(names, " or "))
	case o.Output != "" && o.Output != "json" && o.Output != "yaml":
		return fmt.Errorf("--output %q is not supported; use json or yaml (or no -o for people)", o.Output)
	}
	return nil
}

// Run renders the configuration, reads the session and prints what
// differs; the exit code says whether anything does.
func (o *Options) Run(ctx context.Context) error {
	uid, gid := boot.InvokingIDs()
	in := boot.LoadInput{SessionName: o.session, DefaultUser: boot.InvokingUser(), Settings: o.settings, Stdin: o.f.Streams.In}
	objs, err := boot.RenderSource(o.source, in, podspec.Options{RunAsUser: &uid, RunAsGroup: &gid, UUID: sessiondiff.NoUUID}, nil)
	if err != nil {
		return err
	}
	if o.session == "" {
		o.session = objs.Namespace.Name // the session boot would boot
	}
	rep, err := o.compare(ctx, objs)
	if err != nil {
		return err
	}
	if err := write(o.f.Streams.Out, rep, o.Output); err != nil {
		return err
	}
	if rep.Differs() {
		return &cli.ExitError{Code: ExitDiffers, Err: fmt.Errorf("session %q differs from the configuration", o.session), Silent: true}
	}
	return nil
}

// compare reads the session's pods, services and record.
func (o *Options) compare(ctx context.Context, objs *podspec.Objects) (*sessiondiff.Report, error) {
	client, err := o.f.Clientset()
	if err != nil {
		return nil, err
	}
	keys := o.settings.Keys()
	rec, err := sessionrecord.New(client, o.session).Read(ctx)
	if err != nil {
		return nil, err
	}
	// boot refuses a configuration from another source than the session's:
	// the differences below are then no boot's to make.
	if given := o.source.Record(); rec.Found() && !sessionrecord.SameSource(rec.Header.Source, given) {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: %v; boot would refuse this configuration, so the differences below compare two configurations\n",
			&sessionrecord.OtherSourceError{Session: o.session, Recorded: rec.Header.Source, Proposed: given})
	}
	pods, err := client.CoreV1().Pods(o.session).List(ctx, metav1.ListOptions{LabelSelector: keys.CreatorSelector()})
	if err != nil {
		return nil, fmt.Errorf("cannot list the processes of session %q: %w", o.session, err)
	}
	svcs, err := client.CoreV1().Services(o.session).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("cannot list the services of session %q: %w", o.session, err)
	}
	in := sessiondiff.Input{Session: o.session, Desired: objs.Processes, Record: rec, Keys: keys}
	for i := range pods.Items {
		if pods.Items[i].DeletionTimestamp == nil {
			in.Pods = append(in.Pods, &pods.Items[i])
		}
	}
	for i := range svcs.Items {
		in.Services = append(in.Services, &svcs.Items[i])
	}
	return sessiondiff.Compute(in), nil
}
