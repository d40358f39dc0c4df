package boot

import (
	"os"

	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// OKSSource derives the session from a DUNE DAQ OKS configuration
// (--oks FILE --session-id ID), as drunc does from the same files.
type OKSSource struct {
	okssession.Options
}

func (s *OKSSource) AddFlags(flags *pflag.FlagSet) {
	AddOKSFlags(flags, &s.Options)
}

// AddOKSFlags binds the OKS flags shared by boot and `config processes`.
func AddOKSFlags(flags *pflag.FlagSet, o *okssession.Options) {
	flags.StringVar(&o.File, "oks", "", "DUNE DAQ OKS configuration (*.data.xml) holding the Session; looked up in DUNEDAQ_DB_PATH when not found as given")
	flags.StringVar(&o.SessionID, "session-id", "", "Id of the Session object in the OKS file (the session name defaults to it)")
	flags.StringVar(&o.LocalhostNode, "localhost", "", `Kubernetes node that OKS PhysicalHost "localhost" means (required when the configuration uses it)`)
	flags.StringVar(&o.RTEScript, "rte-script", "", "Runtime environment script every process sources first (overrides the Session's rte_script)")
	flags.StringVar(&o.LogDir, "log-dir", "", "Directory for process log files when neither the application nor the Session sets log_path")
	flags.StringVar(&o.DBPath, "db-path", os.Getenv("DUNEDAQ_DB_PATH"), "Where OKS includes are found, colon-separated (default $DUNEDAQ_DB_PATH); passed on to every process")
}

func (s *OKSSource) FlagNames() string { return "--oks/--session-id" }

func (s *OKSSource) Given() bool { return s.File != "" || s.SessionID != "" }

func (s *OKSSource) Load(o *Options) (*session.Session, func(error) error, error) {
	opts := s.Options
	opts.SessionName = o.SessionName
	opts.User = o.User
	if opts.User == "" {
		opts.User = o.DefaultUser
	}
	db, err := okssession.Read(opts)
	if err != nil {
		return nil, nil, err
	}
	sess, err := okssession.Derive(db, opts)
	if err != nil {
		return nil, nil, err
	}
	explain := okssession.Explainer(db)
	if err := sess.Validate(); err != nil {
		return nil, nil, explain(err)
	}
	return sess, explain, nil
}
