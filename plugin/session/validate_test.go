package session

import (
	"strings"
	"testing"
)

func valid() *Session {
	return &Session{Name: "demo", User: "alice", Processes: []Process{
		{Name: "root-controller", Host: "np02-srv-001", TreeID: "0", Executables: []Executable{{Exec: "drunc-controller"}}},
		{Name: "df-01", Host: "np02-srv-002", TreeID: "0.1", Executables: []Executable{{Exec: "daq_application"}}},
	}}
}

func TestValidateAcceptsAValidSession(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidateNames(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"df-01", true}, {"a", true}, {strings.Repeat("a", 63), true},
		{"", false}, {"DF-01", false}, {"df_01", false}, {"df.01", false}, {"-df", false}, {"df-", false},
		{"0df", false}, {strings.Repeat("a", 64), false}, {"df 01", false}, {"../etc", false}, {"a/b", false},
	} {
		s := valid()
		s.Processes[1].Name = c.name
		err := s.Validate()
		if (err == nil) != c.ok {
			t.Errorf("process name %q: err = %v, want ok=%v", c.name, err, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "processes[1].name") {
			t.Errorf("process name %q: the error does not name the field: %v", c.name, err)
		}
	}
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"demo", true}, {"0demo", true}, {"", false}, {"Demo", false}, {"demo.x", false}, {strings.Repeat("s", 64), false},
	} {
		s := valid()
		s.Name = c.name
		if err := s.Validate(); (err == nil) != c.ok {
			t.Errorf("session name %q: err = %v, want ok=%v", c.name, err, c.ok)
		}
	}
	for _, c := range []struct {
		user string
		ok   bool
	}{{"alice", true}, {"np04daq", true}, {"first.last", true}, {"", false}, {"..", false}, {"a/b", false}, {"a b", false}, {"$(id)", false}} {
		s := valid()
		s.User = c.user
		if err := s.Validate(); (err == nil) != c.ok {
			t.Errorf("user %q: err = %v, want ok=%v", c.user, err, c.ok)
		}
	}
}

func TestValidateReportsEveryProblemWithProcessAndField(t *testing.T) {
	s := valid()
	s.Processes = append(s.Processes,
		Process{Name: "df-01", Host: "np02-srv-003", TreeID: "0.2", Executables: []Executable{{Exec: "x"}}},
		Process{Name: "no-host", TreeID: "0.3", Executables: []Executable{{Exec: "x"}}},
		Process{Name: "bad", Host: "Bad_Host", TreeID: "0.x", LogPath: "relative.log", DataMount: "/a/../b",
			Env: map[string]string{"1BAD": "x"}, UUID: "nope", Executables: []Executable{{Exec: "two words"}, {Exec: ""}}},
		Process{Name: "same-tree", Host: "h", TreeID: "0.1", Executables: []Executable{{Exec: "x"}}},
	)
	err := s.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`process "df-01": processes[2].name: duplicate process name`,
		`process "no-host": processes[3].host: required`,
		`process "bad": processes[4].host: "Bad_Host" is not a valid node name`,
		`process "bad": processes[4].treeId: "0.x" is not a tree id`,
		`process "bad": processes[4].executables[0].exec: "two words" contains white space`,
		`process "bad": processes[4].executables[1].exec: required`,
		`process "bad": processes[4].env.1BAD`,
		`process "bad": processes[4].logPath: "relative.log" must be an absolute path`,
		`process "bad": processes[4].dataMount: "/a/../b" must be a clean path`,
		`process "bad": processes[4].uuid: "nope" is not a UUID`,
		`process "same-tree": processes[5].treeId: tree id "0.1" is also used by process "df-01"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if n := len(err.(Errors)); n != 11 {
		t.Errorf("%d problems, want 11:\n%v", n, err)
	}
}

func TestValidateEmptySession(t *testing.T) {
	err := (&Session{}).Validate()
	for _, want := range []string{"name: the session has no name", "user: the session has no user", "processes: the session has no processes"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}

func TestValidateOneLCS(t *testing.T) {
	s := valid()
	for _, tree := range []string{"1", "2"} {
		s.Processes = append(s.Processes, Process{Name: "local-connection-server-" + tree, Host: "h", TreeID: tree, Executables: []Executable{{Exec: "gunicorn"}}})
	}
	if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "a second local connection server") {
		t.Fatalf("two LCS: %v", err)
	}
}
