package okssession

import (
	"fmt"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Read loads an OKS file and everything it includes.
func Read(opts Options) (*oks.DB, error) {
	if opts.File == "" {
		return nil, fmt.Errorf("no OKS file given: pass --oks FILE (a *.data.xml holding a Session)")
	}
	return oks.Load(opts.File, oks.Options{DBPath: oks.SplitDBPath(opts.dbPath()), ReadFile: opts.ReadFile})
}

// Load reads the OKS file and derives the processes of the Session.
func Load(opts Options) (*session.Session, error) {
	db, err := Read(opts)
	if err != nil {
		return nil, err
	}
	return Derive(db, opts)
}

// ChooseSession finds the Session to derive and sets o.SessionID to its
// id: the one --session-id names; without it, the one called like the
// session (-n), or else the file's only Session. Otherwise the error lists
// the Sessions there.
func (o *Options) ChooseSession(db *oks.DB) (*oks.Object, error) {
	ids := db.IDsOf("Session")
	list := "none"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	id := o.SessionID
	switch {
	case id != "":
	case o.SessionName != "" && db.Get("Session", o.SessionName) != nil:
		id = o.SessionName
	case len(ids) == 1:
		id = ids[0]
	case o.SessionName != "":
		return nil, fmt.Errorf("no Session id given, and no Session is called %q like the session: pass --session-id ID (Sessions in %s: %s)", o.SessionName, o.File, list)
	default:
		return nil, fmt.Errorf("no Session id given: pass --session-id ID (Sessions in %s: %s)", o.File, list)
	}
	s := db.Get("Session", id)
	if s == nil {
		return nil, fmt.Errorf("no Session %q in %s (Sessions there: %s)", id, o.File, list)
	}
	o.SessionID = id
	return s, nil
}
