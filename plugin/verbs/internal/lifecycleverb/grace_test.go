package lifecycleverb

import (
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
)

func TestGraceFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string // the grace period applied, or the error
	}{
		{nil, "nil"},
		{[]string{"--force"}, "0"},
		{[]string{"--grace-period=0"}, "0"},
		{[]string{"--grace-period=30"}, "30"},
		{[]string{"--force", "--grace-period=0"}, "0"},
		{[]string{"--force", "--grace-period=30"}, "give --force or --grace-period, not both"},
		{[]string{"--grace-period=-2"}, "--grace-period=-2: give a number of seconds"},
	} {
		var g GraceFlags
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		g.AddFlags(fs, "grace", "force")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		got := "nil"
		if err := g.Validate(); err != nil {
			got = err.Error()
		} else {
			var cfg lifecycle.Config
			g.Apply(&cfg)
			if cfg.GracePeriod != nil {
				got = fmt.Sprint(*cfg.GracePeriod)
			}
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%v: %s, want %s", c.args, got, c.want)
		}
	}
}
