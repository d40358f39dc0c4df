package okssession

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// expected is one process as the rules give it, worked out by reading
// example-configs.data.xml and the segment files it includes.
type expected struct {
	name, tree string
	role       session.Role
	exe        string
	control    string // protocol://PhysicalHost:port of the app's *_control Service
}

// The segment tree of root-segment: ru-segment, df-segment, trg-segment,
// hsi-fake-segment (indices 0..3), each with its controller and its
// applications numbered from 0 (no segment has sub-segments). Every
// application runs on vlocalhost → PhysicalHost "localhost"; controllers
// expose grpc port 0, applications rest port 0.
var local2x3 = []expected{
	{"local-connection-server", "1", session.RoleInfrastructure, "echo", ""},
	{"root-controller", "0", session.RoleRootController, "drunc-controller", "grpc://localhost:0"},
	{"ru-controller", "0.0", session.RoleSegmentController, "drunc-controller", "grpc://localhost:0"},
	{"ru-01", "0.0.0", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"ru-02", "0.0.1", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"df-controller", "0.1", session.RoleSegmentController, "drunc-controller", "grpc://localhost:0"},
	{"tp-stream-writer", "0.1.0", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"dfo-01", "0.1.1", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"df-01", "0.1.2", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"df-02", "0.1.3", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"df-03", "0.1.4", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"trg-controller", "0.2", session.RoleSegmentController, "drunc-controller", "grpc://localhost:0"},
	{"tc-maker-1", "0.2.0", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"mlt", "0.2.1", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"hsi-fake-controller", "0.3", session.RoleSegmentController, "drunc-controller", "grpc://localhost:0"},
	{"hsi-fake-01", "0.3.0", session.RoleApplication, "daq_application", "rest://localhost:0"},
	{"hsi-fake-to-tc-app", "0.3.1", session.RoleApplication, "daq_application", "rest://localhost:0"},
}

// local-1x1-config disables df-02, df-03 and ru-02; disabled applications
// take no number, so the others keep theirs (they come first).
var local1x1 = func() []expected {
	var out []expected
	for _, e := range local2x3 {
		switch e.name {
		case "df-02", "df-03", "ru-02":
			continue
		}
		out = append(out, e)
	}
	return out
}()

// The Session's environment: five Variables, in this order.
var localERS = map[string]string{
	"DUNEDAQ_ERS_VERBOSITY_LEVEL": "1",
	"DUNEDAQ_ERS_INFO":            "erstrace,throttle,lstdout",
	"DUNEDAQ_ERS_WARNING":         "erstrace,throttle,lstdout",
	"DUNEDAQ_ERS_ERROR":           "erstrace,throttle,lstdout",
	"DUNEDAQ_ERS_FATAL":           "erstrace,lstdout",
}

const lcsShell = "Process PID $$; trap 'pkill -INT -P $$' EXIT; gunicorn -b 0.0.0.0:5000 --workers=1 --worker-class=gthread --threads=2 --timeout 5000000000 --log-level=info connection-service.connection-flask:app"

func TestDUNELocalSessions(t *testing.T) {
	dir := sharedoks.Dir(t)
	for _, c := range []struct {
		id   string
		want []expected
	}{{"local-1x1-config", local1x1}, {"local-2x3-config", local2x3}} {
		t.Run(c.id, func(t *testing.T) {
			opts := Options{File: sharedoks.ExampleConfigs, SessionID: c.id, SessionName: "np02-run", User: "shifter",
				LocalhostNode: "np02-srv-001", DBPath: dir, LogDir: "/var/log/daq"}
			s, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != "np02-run" || s.User != "shifter" {
				t.Errorf("session %q user %q", s.Name, s.User)
			}
			var got, want []string
			for _, p := range s.Processes {
				got = append(got, p.Name+"@"+p.TreeID)
			}
			for _, e := range c.want {
				want = append(want, e.name+"@"+e.tree)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("processes (name@tree, boot-model order)\n got %v\nwant %v", got, want)
			}
			for i, e := range c.want {
				checkProcess(t, s.Processes[i], e, opts)
			}
			for _, p := range s.Processes {
				disabled := p.Name == "df-02" || p.Name == "df-03" || p.Name == "ru-02"
				if disabled && c.id == "local-1x1-config" {
					t.Errorf("%s is disabled in local-1x1-config but was derived", p.Name)
				}
			}
		})
	}
}

func checkProcess(t *testing.T, p session.Process, e expected, opts Options) {
	t.Helper()
	if p.Role() != e.role {
		t.Errorf("%s: role %s, want %s", p.Name, p.Role(), e.role)
	}
	if p.Host != "np02-srv-001" {
		t.Errorf("%s: host %q (localhost must become the --localhost node)", p.Name, p.Host)
	}
	if len(p.Executables) != 1 { // the DUNE Sessions set no rte_script
		t.Fatalf("%s: executables %+v", p.Name, p.Executables)
	}
	x := p.Executables[0]
	if x.Exec != e.exe {
		t.Errorf("%s: exec %q, want %q", p.Name, x.Exec, e.exe)
	}
	if e.role == session.RoleInfrastructure {
		if x.Shell != lcsShell || x.Args != nil {
			t.Errorf("%s: shell %q args %q", p.Name, x.Shell, x.Args)
		}
	} else {
		want := []string{"-s", "np02-run", "-k", opts.SessionID, "-n", e.name, "-c", e.control,
			"-d", "oksconflibs:config/daqsystemtest/example-configs.data.xml"}
		if strings.HasSuffix(e.exe, "controller") {
			want = append(want, "-l", "INFO")
		}
		if !reflect.DeepEqual(x.Args, want) || x.Shell != "" {
			t.Errorf("%s: args\n got %q\nwant %q (shell %q)", p.Name, x.Args, want, x.Shell)
		}
	}
	env := map[string]string{
		"DUNEDAQ_SESSION":          "np02-run",
		"DUNEDAQ_DB_PATH":          opts.DBPath,
		"DUNEDAQ_APPLICATION_NAME": e.name,
		"DRUNC_HOST_NAME":          "np02-srv-001",
	}
	for k, v := range localERS {
		env[k] = v
	}
	if !reflect.DeepEqual(p.Env, env) {
		t.Errorf("%s: env\n got %v\nwant %v", p.Name, sorted(p.Env), sorted(env))
	}
	if want := "/var/log/daq/log_shifter_np02-run_" + e.name + ".txt"; p.LogPath != want {
		t.Errorf("%s: log path %q, want %q", p.Name, p.LogPath, want)
	}
	if p.DataMount != "" { // DUNE's data writers use relative paths ("." and "./")
		t.Errorf("%s: data mount %q", p.Name, p.DataMount)
	}
}

func sorted(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// TestDUNEAllSessionsDerive: the ehn1 Sessions have no infrastructure
// applications, so their tree starts at the root controller only.
func TestDUNEAllSessionsDerive(t *testing.T) {
	dir := sharedoks.Dir(t)
	db, err := Read(Options{File: sharedoks.ExampleConfigs, DBPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{"local-1x1-config": 14, "local-2x3-config": 17, "ehn1-local-1x1-config": 13, "ehn1-local-2x3-config": 16}
	for _, id := range db.IDsOf("Session") {
		s, err := Derive(db, Options{File: sharedoks.ExampleConfigs, SessionID: id, LocalhostNode: "n1", DBPath: dir})
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if len(s.Processes) != counts[id] {
			t.Errorf("%s: %d processes, want %d", id, len(s.Processes), counts[id])
		}
		if s.Name != id {
			t.Errorf("session name %q, want the Session id %q by default", s.Name, id)
		}
		if strings.HasPrefix(id, "ehn1") {
			if s.Processes[0].Env["DUNEDAQ_ERS_STREAM_LIBS"] != "erskafka" { // from the ehn1-variables VariableSet
				t.Errorf("%s: VariableSet not flattened: %v", id, s.Processes[0].Env)
			}
		}
	}
}

func TestDUNELocalhostNeedsANode(t *testing.T) {
	dir := sharedoks.Dir(t)
	_, err := Load(Options{File: sharedoks.ExampleConfigs, SessionID: "local-1x1-config", DBPath: dir})
	if err == nil || !strings.Contains(err.Error(), `ccm.data.xml:128: RCApplication "root-controller" runs on PhysicalHost "localhost"`) ||
		!strings.Contains(err.Error(), "--localhost NODE") {
		t.Fatalf("err = %v", err)
	}
}

func TestDUNEUnknownSessionListsIDs(t *testing.T) {
	dir := sharedoks.Dir(t)
	_, err := Load(Options{File: sharedoks.ExampleConfigs, SessionID: "nope", DBPath: dir})
	want := `no Session "nope" in config/daqsystemtest/example-configs.data.xml (Sessions there: ehn1-local-1x1-config, ehn1-local-2x3-config, local-1x1-config, local-2x3-config)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
}

// TestDUNEConcurrentDerive: one database serves several derivations at
// once (run with -race).
func TestDUNEConcurrentDerive(t *testing.T) {
	dir := sharedoks.Dir(t)
	db, err := Read(Options{File: sharedoks.ExampleConfigs, DBPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	ids := db.IDsOf("Session")
	errs := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			_, err := Derive(db, Options{File: sharedoks.ExampleConfigs, SessionID: id, DBPath: dir, LocalhostNode: "n1", User: "u"})
			errs <- err
		}()
	}
	for range ids {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
