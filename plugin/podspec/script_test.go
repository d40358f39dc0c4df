package podspec

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// argvHelper writes a program that prints its arguments NUL-separated: it
// stands in for the DAQ program so the rendered script can run locally.
func argvHelper(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "argv-helper")
	if err := os.WriteFile(p, []byte("#!/bin/bash\nprintf '%s\\0' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// runScript runs a rendered container script as the pod would: bash -c.
func runScript(t *testing.T, script string, env ...string) string {
	t.Helper()
	cmd := exec.Command("/bin/bash", "-c", script)
	cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash -c %q: %v\n%s", script, err, out)
	}
	return string(out)
}

func splitArgv(out string) []string {
	if out == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
}

var hostileArgs = []string{
	"", "two words", "it's", `"double"`, "$HOME", "${USER}", "$(touch /tmp/pwned-by-arg)",
	"`touch /tmp/pwned-by-backtick`", "a;b", "a && b", "new\nline", "tab\t", "*", "~", "!x",
	"#not-a-comment", "a=b", `back\slash`, "'", "--port=3333",
}

func TestScriptArgumentsReachTheProgramVerbatim(t *testing.T) {
	helper := argvHelper(t)
	for _, role := range []struct{ name, tree string }{
		{"application", "0.1"}, {"infra-app", "2"}, {"unknown", ""},
	} {
		p := &session.Process{Name: role.name, TreeID: role.tree, Executables: []session.Executable{
			{Exec: "true", Args: []string{"ignored; exit 3"}},
			{Exec: helper, Args: hostileArgs},
		}}
		got := splitArgv(runScript(t, Script(p)))
		if strings.Join(got, "\x00") != strings.Join(hostileArgs, "\x00") {
			t.Errorf("%s: program saw %q, want %q\nscript: %s", role.name, got, hostileArgs, Script(p))
		}
	}
	if _, err := os.Stat("/tmp/pwned-by-arg"); err == nil {
		t.Error("an argument was executed as a command")
	}
}

func TestScriptShellTextRunsAsShell(t *testing.T) {
	p := &session.Process{Name: "local-connection-server", TreeID: "1", Executables: []session.Executable{
		{Exec: "echo", Shell: `first; echo "second $((1+1))"`},
	}}
	script := Script(p)
	if !strings.Contains(script, "trap 'kill -KILL $child; wait $child; exit 0' TERM QUIT;") || strings.Contains(script, "exec echo") {
		t.Fatalf("the connection server is wrapped in drunc's trap and not exec'ed: %s", script)
	}
	if got := runScript(t, script); got != "first\nsecond 2\n" {
		t.Fatalf("shell text output %q", got)
	}
}

func TestScriptRootControllerUsesPodIP(t *testing.T) {
	// The argv helper installed as drunc-controller on PATH, so the process
	// is a real root controller and its last command is exec'ed.
	dir := filepath.Dir(argvHelper(t))
	if err := os.Rename(filepath.Join(dir, "argv-helper"), filepath.Join(dir, session.ControllerExecutable)); err != nil {
		t.Fatal(err)
	}
	args := []string{"-c", "grpc://np02-srv-001:3333", "x=grpc://a:1,grpc://b:2 'q'", "rest://np02-srv-001:80", "$(id)"}
	root := &session.Process{Name: "root-controller", TreeID: "0", Executables: []session.Executable{
		{Exec: "source", Args: []string{"/dev/null"}},
		{Exec: session.ControllerExecutable, Args: args},
	}}
	script := Script(root)
	if !strings.Contains(script, "&& exec drunc-controller -c grpc://\"${POD_IP}\":3333") {
		t.Fatalf("script %s", script)
	}
	got := splitArgv(runScript(t, script, "PATH="+dir+":/usr/bin:/bin", "POD_IP=10.1.2.3"))
	want := []string{"-c", "grpc://10.1.2.3:3333", "x=grpc://10.1.2.3:1,grpc://10.1.2.3:2 'q'", "rest://np02-srv-001:80", "$(id)"}
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Fatalf("root controller saw %q, want %q\nscript: %s", got, want, script)
	}
}

func TestScriptLogIsAppendedThroughTee(t *testing.T) {
	log := filepath.Join(t.TempDir(), "dir with space", "app's.log")
	if err := os.MkdirAll(filepath.Dir(log), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(log, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &session.Process{Name: "app", TreeID: "0.1", LogPath: log, Executables: []session.Executable{
		{Exec: "echo", Args: []string{"to stdout"}},
		{Exec: "/bin/sh", Args: []string{"-c", "echo to stderr >&2"}},
	}}
	out := runScript(t, Script(p))
	// tee runs in a process substitution: wait for it to flush.
	var data []byte
	for i := 0; i < 50; i++ {
		data, _ = os.ReadFile(log)
		if strings.Contains(string(data), "to stderr") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if string(data) != "earlier\nto stdout\nto stderr\n" {
		t.Fatalf("log file %q (stdout %q)", data, out)
	}
}

func TestScriptJoinsWithAndAndExecsTheLast(t *testing.T) {
	p := &session.Process{Name: "app", TreeID: "0.1", Executables: []session.Executable{
		{Exec: "source", Args: []string{"/rte.sh"}}, {Exec: "daq_application", Args: []string{"-n", "app"}},
	}}
	if got, want := Script(p), "source /rte.sh && exec daq_application -n app"; got != want {
		t.Fatalf("Script = %q, want %q", got, want)
	}
	p.Executables = p.Executables[:1]
	if got := Script(p); got != "source /rte.sh" {
		t.Fatalf("a lone source is not exec'ed: %q", got)
	}
	// A failing first command stops the chain (drunc joins with &&).
	helper := argvHelper(t)
	p.Executables = []session.Executable{{Exec: "false"}, {Exec: helper, Args: []string{"ran"}}}
	cmd := exec.Command("/bin/bash", "-c", Script(p))
	out, err := cmd.Output()
	if err == nil || len(out) != 0 {
		t.Fatalf("after a failing command the chain went on: %q, %v", out, err)
	}
}
