// Package version implements `kubectl drunc version`.
package version

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
	apimachineryversion "k8s.io/apimachinery/pkg/version"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

// Info is what `version -o json|yaml` prints.
type Info struct {
	ClientVersion ClientVersion `json:"clientVersion"`
	ServerVersion *ServerInfo   `json:"serverVersion,omitempty"`
}

// ClientVersion describes this binary.
type ClientVersion struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

// ServerInfo is the cluster's version, asked only with --server.
type ServerInfo struct {
	GitVersion string `json:"gitVersion"`
	Platform   string `json:"platform"`
}

// Options of the version verb.
type Options struct {
	f      *cli.Factory
	Server bool
	Output string
}

// NewCmd returns `kubectl drunc version`; it needs no cluster unless --server.
func NewCmd(f *cli.Factory) *cobra.Command {
	o := &Options{f: f}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the kubectl-drunc version (and the cluster's with --server)",
		Example: `  kubectl drunc version
  kubectl drunc version --server -o yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	cmd.Flags().BoolVar(&o.Server, "server", false, "Also print the version of the cluster's API server")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "Output format: json or yaml")
	return cmd
}

// Complete has nothing to read: version needs no cluster unless --server.
func (o *Options) Complete(*cli.Factory, *cobra.Command, []string) error { return nil }

// Validate checks the flags.
func (o *Options) Validate() error {
	switch o.Output {
	case "", "json", "yaml":
		return nil
	}
	return fmt.Errorf("--output %q is not supported; use json or yaml", o.Output)
}

// Run prints the versions.
func (o *Options) Run(ctx context.Context) error {
	info := Info{ClientVersion: ClientVersion{
		Version: cli.Version, Commit: cli.Commit, Date: cli.Date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH,
	}}
	// As kubectl version: the client's version is printed even when the
	// server's cannot be read; the error follows, and the exit code is 1.
	var serverErr error
	if o.Server {
		info.ServerVersion, serverErr = o.serverVersion(ctx)
	}
	out := o.f.Streams.Out
	switch o.Output {
	case "json":
		b, _ := json.MarshalIndent(info, "", "  ")
		fmt.Fprintln(out, string(b))
	case "yaml":
		b, _ := yaml.Marshal(info)
		fmt.Fprint(out, string(b))
	default:
		fmt.Fprintf(out, "Client Version: %s (commit %s, built %s, %s)\n", cli.Version, cli.Commit, cli.Date, info.ClientVersion.Platform)
		if info.ServerVersion != nil {
			fmt.Fprintf(out, "Server Version: %s\n", info.ServerVersion.GitVersion)
		}
	}
	return serverErr
}

// serverVersion asks the API server for its version. Discovery's
// ServerVersion takes no context, so it runs aside and Ctrl-C (ctx) ends
// the wait for a server that never answers; the command then exits.
func (o *Options) serverVersion(ctx context.Context) (*ServerInfo, error) {
	cs, err := o.f.Clientset()
	if err != nil {
		return nil, err
	}
	type answer struct {
		v   *apimachineryversion.Info
		err error
	}
	answered := make(chan answer, 1)
	go func() {
		v, err := cs.Discovery().ServerVersion()
		answered <- answer{v, err}
	}()
	var a answer
	select {
	case a = <-answered:
	case <-ctx.Done():
		a.err = context.Cause(ctx)
	}
	if a.err != nil {
		return nil, fmt.Errorf("cannot read the server version: %w", a.err)
	}
	return &ServerInfo{GitVersion: a.v.GitVersion, Platform: a.v.Platform}, nil
}
