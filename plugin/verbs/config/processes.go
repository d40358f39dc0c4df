package config

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/shell"
)

// ProcessesOptions of `config processes`.
type ProcessesOptions struct {
	f      *cli.Factory
	OKS    okssession.Options
	Output string
}

// ProcessInfo is one derived process as -o json|yaml print it.
type ProcessInfo struct {
	session.Process `json:",inline"`
	Role            session.Role `json:"role"`
}

// ProcessList is what -o json|yaml print: the session and its processes.
type ProcessList struct {
	Session   string        `json:"session"`
	SessionID string        `json:"sessionId"`
	User      string        `json:"user"`
	Processes []ProcessInfo `json:"processes"`
}

func newProcessesCmd(f *cli.Factory) *cobra.Command {
	o := &ProcessesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "processes --oks FILE [--session-id ID] [--localhost NODE]",
		Short: "Show the processes booting an OKS Session would start",
		Long: `Derive the processes of an OKS Session exactly as boot --oks does, with
drunc's rules (tree ids, disabled segments and applications, hosts, command
lines, environment, log files), check them, and print them: name, tree id,
role, host and executable; -o wide adds the command line and log file,
-o json|yaml everything including the environment.`,
		Example: `  # The processes of Session demo, with their command lines and log files
  kubectl drunc config processes --oks examples/oks/demo.data.xml --session-id demo -o wide

  # DUNE's local 1x1 session from a release (DUNEDAQ_DB_PATH set), where
  # "localhost" means node np02-srv-001; everything, including each environment
  kubectl drunc config processes --oks config/daqsystemtest/example-configs.data.xml \
    --session-id local-1x1-config --localhost np02-srv-001 -o yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	cli.AddOKSFlags(cmd.Flags(), &o.OKS)
	_ = cmd.RegisterFlagCompletionFunc("session-id", cli.CompleteSessionIDs(&o.OKS))
	cmd.Flags().StringVar(&o.OKS.User, "user", "", "The session's user (in log file names); default: the invoking user")
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "Output format: wide, json, yaml or name")
	return cmd
}

// Complete reads the session name (-n) and the user.
func (o *ProcessesOptions) Complete(*cli.Factory, *cobra.Command, []string) error {
	// As boot: only an explicit -n renames the session.
	if o.f.Flags.Namespace != nil {
		o.OKS.SessionName = *o.f.Flags.Namespace
	}
	if o.OKS.User == "" {
		if u, err := user.Current(); err == nil && u.Username != "" {
			o.OKS.User = u.Username
		} else {
			o.OKS.User = os.Getenv("USER")
		}
	}
	return nil
}

// Validate checks the flags.
func (o *ProcessesOptions) Validate() error {
	if o.OKS.File == "" {
		return fmt.Errorf("no OKS file given: pass --oks FILE (a *.data.xml holding a Session)")
	}
	return checkOutput(o.Output)
}

// Run derives, checks and prints the processes.
func (o *ProcessesOptions) Run(context.Context) error {
	db, err := okssession.Read(o.OKS)
	if err != nil {
		return err
	}
	if _, err := o.OKS.ChooseSession(db); err != nil { // -o json|yaml names it
		return err
	}
	if note := okssession.FileNote(o.OKS); note != "" {
		fmt.Fprintf(o.f.Streams.ErrOut, "Warning: %s\n", note)
	}
	s, err := okssession.Derive(db, o.OKS)
	if err != nil {
		return err
	}
	if err := s.Validate(); err != nil {
		return okssession.Explainer(db)(err)
	}
	out := o.f.Streams.Out
	switch o.Output {
	case "json", "yaml":
		l := ProcessList{Session: s.Name, SessionID: o.OKS.SessionID, User: s.User, Processes: []ProcessInfo{}}
		for _, p := range s.Processes {
			l.Processes = append(l.Processes, ProcessInfo{Process: p, Role: p.Role()})
		}
		return printData(out, o.Output, l)
	case "name":
		for _, p := range s.Processes {
			fmt.Fprintln(out, p.Name)
		}
		return nil
	}
	headers := []string{"NAME", "TREE ID", "ROLE", "HOST", "EXECUTABLE"}
	if o.Output == "wide" {
		headers = append(headers, "COMMAND", "LOG")
	}
	var rows [][]string
	for _, p := range s.Processes {
		row := []string{p.Name, p.TreeID, string(p.Role()), p.Host, mainExecutable(p)}
		if o.Output == "wide" {
			row = append(row, CommandLine(p), p.LogPath)
		}
		rows = append(rows, row)
	}
	return printTable(out, headers, rows)
}

// mainExecutable is the program a process runs: its last executable (the
// ones before it set up the environment, e.g. `source rte.sh`).
func mainExecutable(p session.Process) string {
	if len(p.Executables) == 0 {
		return ""
	}
	return p.Executables[len(p.Executables)-1].Exec
}

// CommandLine is the process's script as bash would read it: executables
// joined by "; ", arguments quoted, shell text verbatim.
func CommandLine(p session.Process) string {
	parts := make([]string, 0, len(p.Executables))
	for _, e := range p.Executables {
		words := []string{e.Exec}
		if len(e.Args) > 0 {
			words = append(words, shell.Join(e.Args))
		}
		if e.Shell != "" {
			words = append(words, e.Shell)
		}
		parts = append(parts, strings.Join(words, " "))
	}
	return strings.Join(parts, "; ")
}
