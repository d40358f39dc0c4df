// Package lifecycleverb is what kill, terminate, restart and flush share
// beyond the selection (plugin/selector): the grace-period flags and the
// table of what was done.
package lifecycleverb

import (
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
)

// GraceFlags are --grace-period and --force, as kubectl delete has them.
type GraceFlags struct {
	GracePeriod int64
	Force       bool
}

// AddFlags registers the two flags with the verb's own help texts.
func (g *GraceFlags) AddFlags(fs *pflag.FlagSet, graceUsage, forceUsage string) {
	fs.Int64Var(&g.GracePeriod, "grace-period", -1, graceUsage)
	fs.BoolVar(&g.Force, "force", false, forceUsage)
}

// Validate refuses --force with a positive --grace-period, and periods
// below -1.
func (g *GraceFlags) Validate() error {
	switch {
	case g.Force && g.GracePeriod > 0:
		return errors.New("--force deletes with no grace period: give --force or --grace-period, not both")
	case g.GracePeriod < -1:
		return fmt.Errorf("--grace-period=%d: give a number of seconds (0 or more), or -1 for each pod's own", g.GracePeriod)
	}
	return nil
}

// Apply sets cfg.GracePeriod: 0 with --force, the flag's value when given,
// else nil (each pod's own terminationGracePeriodSeconds).
func (g *GraceFlags) Apply(cfg *lifecycle.Config) {
	switch {
	case g.Force:
		zero := int64(0)
		cfg.GracePeriod = &zero
	case g.GracePeriod >= 0:
		p := g.GracePeriod
		cfg.GracePeriod = &p
	}
}
