package okssession

import (
	"reflect"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
)

// TestProjectExample derives examples/oks/demo.data.xml, whose schema
// (the project's own) is found next to it: no DUNE files are needed. An
// unrelated DB path is searched first and passed on to every process.
func TestProjectExample(t *testing.T) {
	dbPath := t.TempDir()
	file := sharedoks.ProjectExample(t)
	s, err := Load(Options{File: file, SessionID: "demo", DBPath: dbPath, User: "op"})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ name, tree, role, host, exe string }
	var got []row
	for _, p := range s.Processes {
		got = append(got, row{p.Name, p.TreeID, string(p.Role()), p.Host, p.Executables[len(p.Executables)-1].Exec})
	}
	want := []row{
		{"local-connection-server", "1", "infrastructure-applications", "np02-srv-001", "gunicorn"},
		{"root-controller", "0", "root-controller", "np02-srv-001", "drunc-controller"}, // the schema's default application_name
		{"readout-controller", "0.0", "segment-controller", "np02-srv-002", "drunc-controller"},
		{"readout-01", "0.0.0", "application", "np02-srv-002", "daq_application"}, // the schema's default application_name
		{"readout-02", "0.0.1", "application", "np02-srv-002", "daq_application"}, // readout-03 is disabled
		{"dataflow-controller", "0.1", "segment-controller", "np02-srv-003", "drunc-controller"},
		{"dataflow-01", "0.1.0", "application", "np02-srv-003", "daq_application"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("processes\n got %v\nwant %v", got, want)
	}
	ro := s.Processes[3]
	if x := ro.Executables[0]; x.Exec != "source" || x.Args[0] != "/opt/dunedaq/env/setup_runtime_env.sh" {
		t.Errorf("rte step %+v", x)
	}
	wantArgs := []string{"-s", "demo", "-k", "demo", "-n", "readout-01", "-c", "rest://np02-srv-002:3351", "-d", "oksconflibs:" + file}
	if !reflect.DeepEqual(ro.Executables[1].Args, wantArgs) {
		t.Errorf("args %q", ro.Executables[1].Args)
	}
	wantEnv := map[string]string{"DUNEDAQ_SESSION": "demo", "DUNEDAQ_DB_PATH": dbPath, "DUNEDAQ_ERS_VERBOSITY_LEVEL": "2",
		"DUNEDAQ_ERS_INFO": "erstrace,lstdout", "DEMO_READOUT_THREADS": "4", "DUNEDAQ_APPLICATION_NAME": "readout-01",
		"DRUNC_HOST_NAME": "np02-srv-002"}
	if !reflect.DeepEqual(ro.Env, wantEnv) {
		t.Errorf("env %v", sorted(ro.Env))
	}
	lcs := s.Processes[0].Executables[1]
	if lcs.Shell != "-b 0.0.0.0:30600 --workers=1 --worker-class=gthread --threads=2 connection-service.connection-flask:app" {
		t.Errorf("LCS shell %q", lcs.Shell)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("invalid session: %v", err)
	}
}
