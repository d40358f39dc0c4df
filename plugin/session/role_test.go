package session

import "testing"

func TestDeriveRole(t *testing.T) {
	cases := []struct {
		tree       string
		controller bool
		want       Role
	}{
		{"0", true, RoleRootController},
		{"0.1", true, RoleSegmentController},
		{"0.1.2", true, RoleSegmentController},
		{"0.1", false, RoleApplication},
		{"0.0.3", false, RoleApplication},
		{"", true, RoleUnknown},
		{"", false, RoleUnknown},
		{"1", false, RoleInfrastructure},
		{"0", false, RoleInfrastructure},
		{"2.1", true, RoleInfrastructure},
	}
	for _, c := range cases {
		if got := DeriveRole(c.tree, c.controller); got != c.want {
			t.Errorf("DeriveRole(%q, %v) = %q, want %q", c.tree, c.controller, got, c.want)
		}
	}
}

func TestProcessRoleUsesExecutables(t *testing.T) {
	p := Process{Name: "root-controller", TreeID: "0", Executables: []Executable{{Exec: "source", Args: []string{"rte.sh"}}, {Exec: ControllerExecutable}}}
	if p.Role() != RoleRootController {
		t.Fatalf("role = %q", p.Role())
	}
	if (&Process{Name: "local-connection-server"}).IsLCS() != true {
		t.Fatal("LCS not recognised by name")
	}
}

func TestDepth(t *testing.T) {
	for tree, want := range map[string]int{"": 0, "0": 0, "1": 0, "0.1": 1, "0.1.2": 2} {
		if got := Depth(tree); got != want {
			t.Errorf("Depth(%q) = %d, want %d", tree, got, want)
		}
	}
}
