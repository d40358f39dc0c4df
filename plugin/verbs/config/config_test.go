package config_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/config"
)

// run executes `kubectl drunc ARGS` in-process with no cluster.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = plugin.Execute(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, args)
	return out.String(), errOut.String(), code
}

// dbPath is the DUNE files' directory relative to this package, so golden
// output holds no absolute path.
func dbPath(t *testing.T) string {
	dir := sharedoks.Dir(t)
	wd, _ := os.Getwd()
	rel, err := filepath.Rel(wd, dir)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func TestSessionsTable(t *testing.T) {
	db := dbPath(t)
	out, errOut, code := run(t, "config", "sessions", "--oks", sharedoks.ExampleConfigs, "--db-path", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden.Assert(t, "sessions.txt", []byte(out))

	// Without --db-path, DUNEDAQ_DB_PATH is the search path.
	t.Setenv("DUNEDAQ_DB_PATH", db)
	out, errOut, _ = run(t, "config", "sessions", "--oks", sharedoks.ExampleConfigs, "-o", "name")
	if out != "ehn1-local-1x1-config\nehn1-local-2x3-config\nlocal-1x1-config\nlocal-2x3-config\n" {
		t.Errorf("-o name: %q %s", out, errOut)
	}
	out, _, _ = run(t, "config", "sessions", "--oks", sharedoks.ExampleConfigs, "--db-path", db, "-o", "json")
	var infos []config.SessionInfo
	if err := json.Unmarshal([]byte(out), &infos); err != nil {
		t.Fatal(err)
	}
	if len(infos) != 4 || infos[2].ID != "local-1x1-config" || strings.Join(infos[2].Disabled, ",") != "df-02,df-03,ru-02" ||
		strings.Join(infos[2].InfrastructureApplications, ",") != "local-connection-server" {
		t.Errorf("-o json: %+v", infos)
	}
}

func TestProcessesTable(t *testing.T) {
	db := dbPath(t)
	base := []string{"config", "processes", "--oks", sharedoks.ExampleConfigs, "--db-path", db, "--localhost", "np02-srv-001", "--user", "shifter"}
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"processes-local-1x1.txt", []string{"--session-id", "local-1x1-config"}},
		{"processes-local-2x3-wide.txt", []string{"--session-id", "local-2x3-config", "-n", "run-42", "-o", "wide", "--log-dir", "/var/log/daq", "--rte-script", "/opt/dunedaq/env.sh"}},
	} {
		t.Run(c.golden, func(t *testing.T) {
			out, errOut, code := run(t, append(base, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden.Assert(t, c.golden, []byte(out))
		})
	}
}

func TestProcessesJSON(t *testing.T) {
	db := dbPath(t)
	out, errOut, code := run(t, "config", "processes", "--oks", sharedoks.ExampleConfigs, "--db-path", db,
		"--session-id", "local-2x3-config", "--localhost", "np02-srv-001", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var l config.ProcessList
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	if l.Session != "local-2x3-config" || len(l.Processes) != 17 {
		t.Fatalf("%s: %d processes", l.Session, len(l.Processes))
	}
	lcs := l.Processes[0]
	if lcs.Name != "local-connection-server" || lcs.Role != "infrastructure-applications" || lcs.TreeID != "1" ||
		lcs.Env["DUNEDAQ_DB_PATH"] != db || lcs.Env["DRUNC_HOST_NAME"] != "np02-srv-001" {
		t.Errorf("first process %+v", lcs)
	}
}

// TestBadInputOneLine: each mistake exits non-zero with one error line
// naming the file, and prints nothing on stdout.
func TestBadInputOneLine(t *testing.T) {
	db := dbPath(t)
	dir := t.TempDir()
	malformed := filepath.Join(dir, "broken.data.xml")
	if err := os.WriteFile(malformed, []byte("<oks-data>\n<obj class=\"Session\" id=\"s\">\n</oks-data>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"--oks", "config/none.data.xml", "--session-id", "x"}, "config/none.data.xml: no such file"},
		{"unknown session", []string{"--oks", sharedoks.ExampleConfigs, "--session-id", "local-9x9"},
			`no Session "local-9x9" in config/daqsystemtest/example-configs.data.xml (Sessions there: ehn1-local-1x1-config, ehn1-local-2x3-config, local-1x1-config, local-2x3-config)`},
		{"no localhost", []string{"--oks", sharedoks.ExampleConfigs, "--session-id", "local-1x1-config", "--localhost", ""}, "pass --localhost NODE"},
		{"malformed", []string{"--oks", malformed, "--session-id", "s"}, malformed + ":3: malformed XML"},
		{"bad output", []string{"--oks", sharedoks.ExampleConfigs, "-o", "table"}, `--output "table" is not supported`},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"config", "processes", "--db-path", db, "--localhost", "n1"}, c.args...)
			out, errOut, code := run(t, args...)
			if code == 0 || out != "" {
				t.Fatalf("exit %d, stdout %q", code, out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q, want one line containing %q", errOut, c.want)
			}
		})
	}
}

// TestCompleteSessionIDs: --session-id completes with the file's Sessions.
func TestCompleteSessionIDs(t *testing.T) {
	db := dbPath(t)
	out, errOut, code := run(t, "__complete", "config", "processes", "--oks", sharedoks.ExampleConfigs, "--db-path", db, "--session-id", "")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "ehn1-local-1x1-config\nehn1-local-2x3-config\nlocal-1x1-config\nlocal-2x3-config\n:4\n") {
		t.Errorf("completion %q", out)
	}
}
