package config

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
)

// SessionsOptions of `config sessions`.
type SessionsOptions struct {
	f      *cli.Factory
	OKS    okssession.Options
	Output string
}

// SessionInfo is one Session as -o json|yaml print it.
type SessionInfo struct {
	ID                         string   `json:"id"`
	Segment                    string   `json:"segment"`
	InfrastructureApplications []string `json:"infrastructureApplications"`
	Disabled                   []string `json:"disabled"`
	Description                string   `json:"description,omitempty"`
	DefinedAt                  string   `json:"definedAt"`
}

func newSessionsCmd(f *cli.Factory) *cobra.Command {
	o := &SessionsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sessions --oks FILE",
		Short: "List the Sessions an OKS configuration defines",
		Long: `List the Session objects defined in an OKS configuration (the file and
everything it includes): their ids (what --session-id takes), root
segment, infrastructure applications and disabled components.`,
		Example: `  # The Sessions of a configuration
  kubectl drunc config sessions --oks examples/oks/demo.data.xml

  # Only their ids, one per line, from a DUNE DAQ release (DUNEDAQ_DB_PATH set)
  kubectl drunc config sessions --oks config/daqsystemtest/example-configs.data.xml -o name`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cli.Run(o, f, cmd, args)
		},
	}
	cli.AddOKSFileFlags(cmd.Flags(), &o.OKS)
	cmd.Flags().StringVarP(&o.Output, "output", "o", "", "Output format: wide, json, yaml or name")
	return cmd
}

// Complete has nothing to read: the file is read in Run.
func (o *SessionsOptions) Complete(*cli.Factory, *cobra.Command, []string) error { return nil }

// Validate checks the flags.
func (o *SessionsOptions) Validate() error {
	if o.OKS.File == "" {
		return fmt.Errorf("no OKS file given: pass --oks FILE (a *.data.xml)")
	}
	return checkOutput(o.Output)
}

// Run reads the configuration and prints its Sessions.
func (o *SessionsOptions) Run(context.Context) error {
	db, err := okssession.Read(o.OKS)
	if err != nil {
		return err
	}
	infos := Sessions(db)
	out := o.f.Streams.Out
	switch o.Output {
	case "json", "yaml":
		return printData(out, o.Output, infos)
	case "name":
		for _, s := range infos {
			fmt.Fprintln(out, s.ID)
		}
		return nil
	}
	if len(infos) == 0 {
		fmt.Fprintf(o.f.Streams.ErrOut, "No Sessions found in %s.\n", o.OKS.File)
		return nil
	}
	headers := []string{"SESSION ID", "SEGMENT", "INFRASTRUCTURE", "DISABLED"}
	if o.Output == "wide" {
		headers = append(headers, "DEFINED AT", "DESCRIPTION")
	}
	var rows [][]string
	for _, s := range infos {
		row := []string{s.ID, s.Segment, strconv.Itoa(len(s.InfrastructureApplications)), strconv.Itoa(len(s.Disabled))}
		if o.Output == "wide" {
			row = append(row, s.DefinedAt, s.Description)
		}
		rows = append(rows, row)
	}
	return printTable(out, headers, rows)
}

// Sessions describes every Session in db, sorted by id.
func Sessions(db *oks.DB) []SessionInfo {
	infos := []SessionInfo{}
	for _, id := range db.IDsOf("Session") {
		s := db.Get("Session", id)
		info := SessionInfo{ID: id, Description: s.String("description"), DefinedAt: s.Where(),
			InfrastructureApplications: []string{}, Disabled: []string{}}
		if seg := s.Rel("segment"); seg != nil {
			info.Segment = seg.ID
		}
		for _, a := range s.RelAll("infrastructure_applications") {
			info.InfrastructureApplications = append(info.InfrastructureApplications, a.ID)
		}
		for _, d := range s.RelAll("disabled") {
			info.Disabled = append(info.Disabled, d.ID)
		}
		infos = append(infos, info)
	}
	return infos
}
