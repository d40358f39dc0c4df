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

// FindSession returns the Session object called id, or an error listing
// the Sessions that exist.
func FindSession(db *oks.DB, file, id string) (*oks.Object, error) {
	ids := db.IDsOf("Session")
	list := "none"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	if id == "" {
		return nil, fmt.Errorf("no Session id given: pass --session-id ID (Sessions in %s: %s)", file, list)
	}
	s := db.Get("Session", id)
	if s == nil {
		return nil, fmt.Errorf("no Session %q in %s (Sessions there: %s)", id, file, list)
	}
	return s, nil
}
