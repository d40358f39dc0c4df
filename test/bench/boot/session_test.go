package boot

import (
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	dunesession "github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/dune"
)

// dune builds a DUNE-scale session (see dune.Session).
func dune(name string, hosts []string, processes int) *session.Session {
	return dunesession.Session(name, hosts, processes)
}
