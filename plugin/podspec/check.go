package podspec

import (
	"fmt"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Check returns the problems that depend on the settings, which session
// validation cannot see: a connection server without a port, a readout
// application on a host without settings.host_configs. Render finds the
// same; Check lets a caller report them together with validation problems,
// even for a session that is not valid otherwise.
func Check(s *session.Session, st *pmconfig.Settings) session.Errors {
	if st == nil {
		st = pmconfig.Default()
	}
	r := &renderer{s: s, st: st, keys: st.Keys()}
	var errs session.Errors
	for i := range s.Processes {
		p := &s.Processes[i]
		field := fmt.Sprintf("processes[%d]", i)
		if _, err := networkFor(p); err != nil {
			errs.Add(p.Name, field+".executables", "%v", err)
		}
		if r.isReadout(p) && p.Host != "" {
			if _, msg := r.readoutResources(p); msg != "" {
				errs.Add(p.Name, field+".host", "%s", msg)
			}
		}
	}
	return errs
}
