package selector

import (
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func TestRequireSelection(t *testing.T) {
	for _, c := range []struct {
		opts     Options
		explicit bool
		ok       bool
	}{
		{Options{}, false, false},
		{Options{}, true, true}, // -n SESSION or -A
		{Options{Names: []string{"ru"}}, false, true},
		{Options{UUIDs: []string{"u"}}, false, true},
		{Options{Users: []string{"alice"}}, false, true},
		{Options{Roles: []string{"application"}}, false, true},
		{Options{Selector: "app=x"}, false, true},
	} {
		sel, err := c.opts.Compile(session.Keys(""))
		if err != nil {
			t.Fatal(err)
		}
		err = sel.RequireSelection("kill", c.explicit)
		if (err == nil) != c.ok {
			t.Errorf("%+v explicit=%v: err %v", c.opts, c.explicit, err)
		}
		if err != nil && (!strings.HasPrefix(err.Error(), "kill needs a selection") || !strings.Contains(err.Error(), "kubectl drunc ps")) {
			t.Errorf("message %q must name the verb and point to ps", err)
		}
	}
}
