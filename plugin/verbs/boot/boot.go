// Package boot implements `kubectl drunc boot`: it turns a boot file (or
// another session source) into a session, renders it with the drunc
// process-manager settings, then prints the objects (--dry-run=client) or
// hands them to the executor that creates them in the cluster.
package boot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dprinters "github.com/kubectl-drunc/kubectl-drunc/printers"
)

// The --dry-run values, as kubectl spells them. "server" is not offered:
// the apiserver cannot check the pods of a namespace that does not exist
// yet, and a dry run creates none.
const (
	DryRunNone   = "none"
	DryRunClient = "client"
)

// Options of the boot verb.
type Options struct {
	f *cli.Factory

	// Sources are the ways to describe a session (boot file, OKS...);
	// exactly one must be given on the command line.
	Sources []Source

	DryRun   string
	Output   string
	PMConfig string
	// LabelDomain is --drunc-label; it overrides the PM configuration's.
	LabelDomain string
	User        string
	RunAsUser   int64
	RunAsGroup  int64
	// Exec are the flags of a boot that creates the session (run.go).
	Exec ExecFlags

	// Filled by Complete.
	SessionName string // -n, "" when not given
	DefaultUser string
	Settings    *pmconfig.Settings
	source      Source
}

// NewCmd returns `kubectl drunc boot`.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f, Sources: []Source{&FileSource{}, &OKSSource{}}}
	cmd := &cobra.Command{
		Use:     "boot (-f FILE | --oks FILE [--session-id ID]) [-n SESSION] [--pm-config FILE] [--dry-run=client -o yaml|json|name]",
		Short:   "Boot a DAQ session: one pod and one service per process",
		Long:    bootLong,
		Example: bootExamples,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	fs := cmd.Flags()
	for _, s := range o.Sources {
		s.AddFlags(fs)
	}
	fs.StringVar(&o.DryRun, "dry-run", DryRunNone, `Must be "none" or "client". If client, only print the objects that would be created, without contacting any cluster.`)
	fs.Lookup("dry-run").NoOptDefVal = DryRunClient
	fs.StringVarP(&o.Output, "output", "o", "", "Output format of --dry-run=client: yaml, json or name (refused without --dry-run=client)")
	fs.StringVar(&o.PMConfig, "pm-config", "", "drunc's Kubernetes process-manager configuration (JSON): image, settings.labels, volumes, timeouts, host_configs...")
	fs.StringVar(&o.User, "user", "", "The session's user (USER and HOME of every process); default: the boot file's spec.user, else the invoking user")
	// -1 stands for the invoking user's ids, so --help (and the generated
	// docs) do not depend on who runs it.
	o.RunAsUser, o.RunAsGroup = -1, -1
	fs.Var(idFlag{&o.RunAsUser}, "run-as-user", "The uid every process runs as (pod and container securityContext); default: the invoking user's uid")
	fs.Var(idFlag{&o.RunAsGroup}, "run-as-group", "The gid every process runs as (runAsGroup and fsGroup); default: the invoking user's gid")
	o.Exec.AddFlags(fs)
	cli.AddLabelDomainFlag(fs, &o.LabelDomain)
	return cmd
}

// Complete reads what the flags point to: the session name, the invoking
// user and the process-manager settings. Boot takes no arguments (cobra
// refuses them before Complete).
func (o *Options) Complete(f *cli.Factory, cmd *cobra.Command, _ []string) error {
	o.f = f
	// Only an explicit -n names the session: the kubeconfig context's
	// namespace is not a session name.
	if o.f.Flags.Namespace != nil {
		o.SessionName = *o.f.Flags.Namespace
	}
	o.DefaultUser = invokingUser()
	if o.RunAsUser == -1 {
		o.RunAsUser = int64(os.Getuid())
	}
	if o.RunAsGroup == -1 {
		o.RunAsGroup = int64(os.Getgid())
	}
	st, warnings, err := pmconfig.Load(o.PMConfig)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: %s\n", w)
	}
	// --drunc-label, when given, wins over the file (flags over config).
	if cmd.Flags().Changed(cli.LabelDomainFlag) {
		if err := cli.CheckLabelDomainFlag(o.LabelDomain); err != nil {
			return err
		}
		st.LabelDomain = o.LabelDomain
	}
	o.Settings = st
	return nil
}

// Validate checks the flags before anything is read.
func (o *Options) Validate() error {
	var given []Source
	var names []string
	for _, s := range o.Sources {
		names = append(names, s.FlagNames())
		if s.Given() {
			given = append(given, s)
		}
	}
	switch len(given) {
	case 0:
		return fmt.Errorf("nothing to boot: give the session with %s", strings.Join(names, " or "))
	case 1:
		o.source = given[0]
	default:
		return fmt.Errorf("give the session one way only: %s are exclusive", strings.Join(names, ", "))
	}
	switch o.DryRun {
	case DryRunNone, DryRunClient:
	case "server":
		return errors.New(`--dry-run=server is not supported: the server cannot check the pods of a session namespace that does not exist yet; use --dry-run=client`)
	default:
		return fmt.Errorf(`--dry-run must be "none" or "client", got %q`, o.DryRun)
	}
	if err := dprinters.CheckObjectsFormat(o.Output); err != nil {
		return err
	}
	if o.Output != "" && o.DryRun != DryRunClient {
		return fmt.Errorf("-o %s prints the objects of a dry run: add --dry-run=client (a boot prints one line when the session is up; see it with kubectl drunc ps -n SESSION -o %s)", o.Output, o.Output)
	}
	if o.RunAsUser < 0 || o.RunAsGroup < 0 {
		return errors.New("--run-as-user and --run-as-group must be 0 or more")
	}
	return o.Exec.validate()
}

// Run loads the session, renders it, and prints or executes it.
func (o *Options) Run(ctx context.Context) error {
	if o.DryRun == DryRunClient {
		objs, err := o.Render()
		if err != nil {
			return err
		}
		return Print(o.f.Streams.Out, objs, o.Output)
	}
	client, err := o.f.WatchClient()
	if err != nil {
		return err
	}
	drawn := map[string]bool{}
	objs, err := o.render(func(s *session.Session) error {
		err := keepUUIDs(ctx, client, s, o.Settings.Keys())
		for _, p := range s.Processes {
			if p.UUID == "" {
				drawn[p.Name] = true
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	return o.boot(ctx, client, objs, drawn)
}

// Render is the pure part of boot: session source → session → objects.
// Nothing is printed and no cluster is contacted.
func (o *Options) Render() (*podspec.Objects, error) { return o.render(nil) }

// render is Render with adjust applied to the loaded session first (the
// uuids a process already has in the cluster).
func (o *Options) render(adjust func(*session.Session) error) (*podspec.Objects, error) {
	in := LoadInput{
		SessionName: o.SessionName, User: o.User, DefaultUser: o.DefaultUser,
		Settings: o.Settings, Stdin: o.f.Streams.In, Warn: o.f.Streams.ErrOut,
	}
	return RenderSource(o.source, in, podspec.Options{RunAsUser: &o.RunAsUser, RunAsGroup: &o.RunAsGroup}, adjust)
}

// invokingUser is drunc's user: the login name of whoever runs the plugin.
func invokingUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
