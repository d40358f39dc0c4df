// Package config implements `kubectl drunc config`: read a DUNE DAQ OKS
// configuration and show what it holds (its Sessions) and what booting one
// would start (its processes), with no cluster.
package config

import (
	"github.com/spf13/cobra"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

// NewCmd returns `kubectl drunc config`.
func NewCmd(f *cli.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect DUNE DAQ OKS configurations before booting them",
		Long: `Read a DUNE DAQ OKS configuration (*.data.xml and everything it includes,
found through DUNEDAQ_DB_PATH) and show its Sessions, or the processes that
booting one of them would start. Nothing contacts a cluster.`,
		Example: `  # Which Sessions does a configuration define?
  kubectl drunc config sessions --oks examples/oks/demo.data.xml

  # What would booting one of them start, and where?
  kubectl drunc config processes --oks examples/oks/demo.data.xml --session-id demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSessionsCmd(f), newProcessesCmd(f))
	return cmd
}
