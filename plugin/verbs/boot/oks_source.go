package boot

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// OKSSource derives the session from a DUNE DAQ OKS configuration
// (--oks FILE --session-id ID), as drunc does from the same files.
type OKSSource struct {
	okssession.Options
}

func (s *OKSSource) AddFlags(flags *pflag.FlagSet) { cli.AddOKSFlags(flags, &s.Options) }

func (s *OKSSource) FlagNames() string { return "--oks/--session-id" }

func (s *OKSSource) Given() bool { return s.File != "" || s.SessionID != "" }

func (s *OKSSource) Record() sessionrecord.Source {
	return sessionrecord.Source{OKSFile: s.File, SessionID: s.SessionID}
}

func (s *OKSSource) Load(in LoadInput) (*session.Session, func(error) error, error) {
	opts := s.Options
	opts.SessionName = in.SessionName
	opts.User = in.User
	if opts.User == "" {
		opts.User = in.DefaultUser
	}
	db, err := okssession.Read(opts)
	if err != nil {
		return nil, nil, err
	}
	// The Session chosen without --session-id is the one the record names.
	if _, err := opts.ChooseSession(db); err != nil {
		return nil, nil, err
	}
	s.SessionID = opts.SessionID
	if note := okssession.FileNote(opts); note != "" && in.Warn != nil {
		fmt.Fprintf(in.Warn, "Warning: %s\n", note)
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
