package oks_test

import (
	"path/filepath"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
)

// TestDUNEExampleConfigs reads the real DUNE files through their includes.
func TestDUNEExampleConfigs(t *testing.T) {
	dir := sharedoks.Dir(t)
	db, err := oks.Load(sharedoks.ExampleConfigs, oks.Options{DBPath: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	// example-configs includes ccm, hosts and four segment files, which
	// include fsm, connections, moduleconfs and the confmodel and appmodel
	// schemas: 11 files of config/daqsystemtest minus integrationtest-objects
	// (not included) plus 5 schema files.
	if len(db.Files) != 15 {
		t.Errorf("read %d files: %v", len(db.Files), db.Files)
	}
	if db.Files[0] != filepath.Join(dir, sharedoks.ExampleConfigs) {
		t.Errorf("first file %s", db.Files[0])
	}
	want := []string{"ehn1-local-1x1-config", "ehn1-local-2x3-config", "local-1x1-config", "local-2x3-config"}
	if got := db.IDsOf("Session"); len(got) != 4 || got[0] != want[0] || got[3] != want[3] {
		t.Errorf("sessions %v, want %v", got, want)
	}
	for _, c := range []struct {
		class, base string
		want        bool
	}{
		{"RCApplication", "Application", true},
		{"ConnectionService", "Application", true},
		{"DFApplication", "SmartDaqApplication", true},
		{"DFApplication", "Application", true},
		{"DFApplication", "Resource", true},  // its other superclass
		{"DFApplication", "Component", true}, // Resource → ResourceBase → Component
		{"ReadoutApplication", "ResourceSetAND", true},
		{"ReadoutApplication", "ResourceSet", true},
		{"Segment", "ResourceBase", true},
		{"Segment", "Application", false},
		{"RCApplication", "DaqApplication", false},
		{"VariableSet", "VariableBase", true},
	} {
		if got := db.IsA(c.class, c.base); got != c.want {
			t.Errorf("IsA(%s, %s) = %v, want %v", c.class, c.base, got, c.want)
		}
	}
	ctrl := db.Get("RCApplication", "root-controller")
	if ctrl == nil || ctrl.String("application_name") != "drunc-controller" || ctrl.Rel("runs_on").Rel("runs_on").ID != "localhost" {
		t.Fatalf("root-controller: %+v", ctrl)
	}
	if got := db.Get("ProcessingResource", "localhost_cpus").Strings("cpu_cores"); len(got) != 4 || got[3] != "3" {
		t.Errorf("cpu_cores = %v", got)
	}
	lcs := db.Get("Application", "local-connection-server")
	if got := lcs.Strings("commandline_parameters"); len(got) != 3 || got[1] != "trap 'pkill -INT -P $$' EXIT;" {
		t.Errorf("commandline_parameters = %q", got)
	}
}
