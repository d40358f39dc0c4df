package selector

import "fmt"

// RequireSelection is the guard of every verb that destroys: like drunc's
// process manager, it refuses to act on "everything" by default. A selection
// is a name pattern, --user, --uuid, --role, --host, -l, or a session named
// explicitly with -n (or -A); the kubeconfig context's namespace alone is
// not one. scopeExplicit is Scope's second result.
func (s *Selector) RequireSelection(verb string, scopeExplicit bool) error {
	if s.Filtered() || scopeExplicit {
		return nil
	}
	return fmt.Errorf("%s needs a selection: give process names (regular expressions), --uuid, --user, --role, --host or -l, "+
		"or a whole session with -n SESSION (every session: -A); `kubectl drunc ps` with the same selection shows what would be affected", verb)
}
