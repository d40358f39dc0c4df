package session

import (
	"strings"
	"testing"
)

func TestStagesAndOrder(t *testing.T) {
	p := func(name, tree string, controller bool) Process {
		e := "app"
		if controller {
			e = ControllerExecutable
		}
		return Process{Name: name, TreeID: tree, Executables: []Executable{{Exec: e}}}
	}
	s := &Session{Processes: []Process{
		p("app-10", "0.10", false), p("app-2", "0.2", false), p("seg", "0.1", true), p("deep", "0.1.0", false),
		p("root", "0", true), p("loose", "", false), p("infra-3", "3", false), p("local-connection-server", "1", false),
		p("infra-2", "2", false),
	}}
	var got []string
	for _, st := range s.Stages() {
		var names []string
		for _, q := range st.Processes {
			names = append(names, q.Name)
		}
		got = append(got, st.Name+"="+strings.Join(names, ","))
	}
	want := "local-connection-server=local-connection-server infrastructure-applications=infra-2,infra-3 root-controller=root applications=seg,deep,app-2,app-10,loose"
	if strings.Join(got, " ") != want {
		t.Fatalf("stages\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if o := s.Ordered(); len(o) != len(s.Processes) || o[0].Name != "local-connection-server" || o[len(o)-1].Name != "loose" {
		t.Fatalf("Ordered %v", o)
	}
}

func TestTreeLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"0", "0.1", true}, {"0.2", "0.10", true}, {"0.10", "0.2", false}, {"0.1", "0.1.0", true},
		{"1", "", true}, {"", "1", false}, {"", "", false}, {"0.1", "0.1", false}, {"1", "0.5", false},
	} {
		if got := TreeLess(c.a, c.b); got != c.want {
			t.Errorf("TreeLess(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
