package cli

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
)

// AddOKSFileFlags binds --oks and --db-path: where an OKS configuration is.
func AddOKSFileFlags(flags *pflag.FlagSet, o *okssession.Options) {
	flags.StringVar(&o.File, "oks", "", "DUNE DAQ OKS configuration (*.data.xml); looked up in the DB path when not found as given")
	flags.StringVar(&o.DBPath, "db-path", "", "Where OKS includes are found, colon-separated; default $DUNEDAQ_DB_PATH (passed on to every process)")
	markOKSFile(flags)
}

// AddOKSFlags binds every flag that derives processes from an OKS Session
// (boot and `config processes` share them).
func AddOKSFlags(flags *pflag.FlagSet, o *okssession.Options) {
	AddOKSFileFlags(flags, o)
	flags.StringVar(&o.SessionID, "session-id", "", "Id of the Session object in the OKS file; without it, the Session called like the session (-n), or the file's only one (the session name defaults to the id)")
	flags.StringVar(&o.LocalhostNode, "localhost", "", `Kubernetes node that OKS PhysicalHost "localhost" means (required when the configuration uses it)`)
	flags.StringVar(&o.RTEScript, "rte-script", "", "Runtime environment script every process sources first (overrides the Session's rte_script)")
	flags.StringVar(&o.LogDir, "log-dir", "", "Directory for process log files when neither the application nor the Session sets log_path (a relative log_path is resolved against it)")
}

// markOKSFile makes shells complete --oks with XML files.
func markOKSFile(flags *pflag.FlagSet) {
	_ = flags.SetAnnotation("oks", cobra.BashCompFilenameExt, []string{"xml"})
}

// CompleteSessionIDs completes --session-id with the Sessions of the file
// already given with --oks (nothing when it cannot be read).
func CompleteSessionIDs(o *okssession.Options) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if o.File == "" {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		db, err := okssession.Read(*o)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return db.IDsOf("Session"), cobra.ShellCompDirectiveNoFileComp
	}
}
