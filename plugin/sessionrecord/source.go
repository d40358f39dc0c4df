package sessionrecord

import (
	"fmt"
	"path/filepath"
)

// SameSource tells whether two sources name the same configuration. Boot
// files compare by base name, since terminals on other machines or in
// other directories reach one file by different paths; OKS sources by base
// name and session id.
func SameSource(a, b Source) bool {
	base := func(p string) string {
		if p == "" {
			return ""
		}
		return filepath.Base(p)
	}
	return base(a.BootFile) == base(b.BootFile) && base(a.OKSFile) == base(b.OKSFile) && a.SessionID == b.SessionID
}

// OtherSourceError refuses to boot a configuration into a session booted
// from another one.
type OtherSourceError struct {
	Session            string
	Recorded, Proposed Source
}

func (e *OtherSourceError) Error() string {
	return fmt.Sprintf("session %q was booted from %s, not from %s: terminate it first (kubectl drunc terminate -n %s) or boot into another session (-n NAME)",
		e.Session, e.Recorded, e.Proposed, e.Session)
}
