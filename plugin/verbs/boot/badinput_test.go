package boot_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

const header = "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata:\n  name: %s\nspec:\n  processes:\n"

func bootFile(session, processes string) string {
	return strings.Replace(header, "%s", session, 1) + processes
}

const okProcess = "  - name: df-01\n    host: np02-srv-001\n    treeId: \"0.1\"\n    executables: [{exec: daq_application}]\n"

// TestBadInput: every malformed input gives one clear message naming the
// file, the process and the field, a non-zero exit, and nothing on stdout.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		pmConfig string
		args     []string
		want     []string
	}{
		{name: "invalid session name", file: bootFile("My_Session", okProcess),
			want: []string{":4: metadata.name: session name \"My_Session\" is not a valid namespace name"}},
		{name: "invalid session name from -n", file: bootFile("ok", okProcess), args: []string{"-n", "bad.name"},
			want: []string{": -n: session name \"bad.name\" is not a valid namespace name"}},
		{name: "invalid process name", file: bootFile("s", "  - name: DF_01\n    host: h\n    executables: [{exec: x}]\n"),
			want: []string{":7: process \"DF_01\": spec.processes[0].name: \"DF_01\" is not a valid process name"}},
		{name: "duplicate names", file: bootFile("s", okProcess+strings.Replace(okProcess, "0.1", "0.2", 1)),
			want: []string{":11: process \"df-01\": spec.processes[1].name: duplicate process name"}},
		{name: "missing host", file: bootFile("s", "  - name: df-01\n    treeId: \"0.1\"\n    executables: [{exec: x}]\n"),
			want: []string{":7: process \"df-01\": spec.processes[0].host: required"}},
		{name: "unknown field", file: bootFile("s", okProcess+"    hostname: h\n"),
			want: []string{":11: process \"df-01\": spec.processes[0].hostname: unknown field \"hostname\""}},
		{name: "malformed YAML", file: bootFile("s", "  - name: [df-01\n"),
			want: []string{"not valid YAML"}},
		{name: "wrong kind", file: strings.Replace(bootFile("s", okProcess), "kind: BootFile", "kind: Pod", 1),
			want: []string{":2: kind: must be BootFile, got \"Pod\""}},
		{name: "readout app without host_configs",
			file: bootFile("s", "  - name: runp-01\n    host: np02-srv-009\n    treeId: \"0.1\"\n    executables: [{exec: x}]\n"),
			want: []string{":8: process \"runp-01\": spec.processes[0].host: readout application", `host_configs."np02-srv-009"`}},
		{name: "LCS without port",
			file: bootFile("s", "  - name: local-connection-server\n    host: h\n    treeId: \"1\"\n    executables: [{exec: gunicorn, shell: app}]\n"),
			want: []string{":10: process \"local-connection-server\": spec.processes[0].executables: no port found"}},
		{name: "wrong types in pm-config", file: bootFile("s", okProcess),
			pmConfig: `{"settings": {"pod_management": {"kill_timeout": "30"}, "service": {"headless_discovery_port": 0.5}}}`,
			want: []string{"pm.json: 2 problems", "settings.pod_management.kill_timeout: must be a number of seconds, got a string",
				"settings.service.headless_discovery_port: must be an integer"}},
		{name: "several problems at once",
			file: bootFile("s", "  - name: a\n    executables: [{exec: x}]\n  - name: a\n    host: BAD\n    executables: []\n"),
			want: []string{"4 problems", "spec.processes[0].host: required", "spec.processes[1].name: duplicate",
				"spec.processes[1].host: \"BAD\"", "spec.processes[1].executables: required"}},
		{name: "decoding, validation and settings problems together",
			file: bootFile("s", "  - name: a\n    hots: h\n    executables: [{exec: x}]\n  - name: a\n    host: h\n    executables: x\n"+
				"  - name: runp-01\n    host: h9\n    treeId: \"0.1\"\n    executables: [{exec: x}]\n"),
			want: []string{"5 problems", ":7: process \"a\": spec.processes[0].host: required", ":8: process \"a\": spec.processes[0].hots: unknown field",
				":10: process \"a\": spec.processes[1].name: duplicate", ":12: process \"a\": spec.processes[1].executables: must be a list",
				":14: process \"runp-01\": spec.processes[2].host: readout application"}},
		{name: "bad name in spec.env, once at its line",
			file: strings.Replace(bootFile("s", okProcess+strings.Replace(strings.Replace(okProcess, "0.1", "0.2", 1), "df-01", "df-02", 1)),
				"spec:\n", "spec:\n  env:\n    \"1BAD\": x\n", 1),
			want: []string{"boot.yaml:7: spec.env.1BAD: \"1BAD\" is not a valid environment variable name"}},
		{name: "missing file", args: []string{"-f", "does-not-exist.yaml"}, want: []string{"does-not-exist.yaml"}},
		{name: "no source", args: []string{"--dry-run=client"}, want: []string{"nothing to boot: give the session with -f/--filename"}},
		{name: "bad dry-run", file: bootFile("s", okProcess), args: []string{"--dry-run=maybe"}, want: []string{`--dry-run must be "none" or "client"`}},
		{name: "dry-run=server is not offered", file: bootFile("s", okProcess), args: []string{"--dry-run=server"}, want: []string{"--dry-run=server is not supported", "--dry-run=client"}},
		{name: "-o without a dry run is refused before any write", file: bootFile("s", okProcess), args: []string{"--dry-run=none"},
			want: []string{"-o yaml prints the objects of a dry run: add --dry-run=client"}},
		{name: "boot flags are checked before the file is rendered", file: bootFile("s", "  - name: x\n"), args: []string{"--dry-run=none", "-o", "", "--max-in-flight", "0"},
			want: []string{"--max-in-flight must be 1 or more"}},
		{name: "negative timeout", file: bootFile("s", okProcess), args: []string{"--dry-run=none", "-o", "", "--timeout=-1s"}, want: []string{"--timeout must be 0 or more"}},
		{name: "bad output", file: bootFile("s", okProcess), args: []string{"-o", "table"}, want: []string{`--output "table" is not supported`}},
		{name: "bad uid", file: bootFile("s", okProcess), args: []string{"--run-as-user", "-5"}, want: []string{`"-5" is not a numeric id`}},
		{name: "argument given", file: bootFile("s", okProcess), args: []string{"extra"}, want: []string{"unknown command \"extra\""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"boot", "--dry-run=client", "-o", "yaml"}
			file := filepath.Join(dir, "boot.yaml")
			if c.file != "" {
				os.WriteFile(file, []byte(c.file), 0o644)
				args = append(args, "-f", file)
			}
			if c.pmConfig != "" {
				pm := filepath.Join(dir, "pm.json")
				os.WriteFile(pm, []byte(c.pmConfig), 0o644)
				args = append(args, "--pm-config", pm)
			}
			args = append(args, c.args...)
			stdout, stderr, code := run(t, args...)
			if code == 0 {
				t.Fatalf("exit 0 for bad input; stderr %q", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout must stay empty on error, got %q", stdout)
			}
			if !strings.HasPrefix(stderr, "error: ") {
				t.Errorf("stderr %q", stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if c.file != "" && strings.Contains(strings.Join(c.want, ""), "spec.") && !strings.Contains(stderr, file) {
				t.Errorf("the message does not name the file %s:\n%s", file, stderr)
			}
		})
	}
}

// TestUnknownPMConfigKeyIsAWarning: unknown pm-config keys are warnings on
// stderr that do not stop the boot.
func TestUnknownPMConfigKeyIsAWarning(t *testing.T) {
	dir := t.TempDir()
	file, pm := filepath.Join(dir, "b.yaml"), filepath.Join(dir, "pm.json")
	os.WriteFile(file, []byte(bootFile("s", okProcess)), 0o644)
	os.WriteFile(pm, []byte(`{"settings": {"sidecar_image": "x"}}`), 0o644)
	stdout, stderr, code := run(t, "boot", "-f", file, "--pm-config", pm, "--dry-run=client", "-o", "name")
	if code != 0 || stderr != "Warning: "+pm+": settings.sidecar_image: unknown key, ignored\n" || !strings.Contains(stdout, "pod/df-01") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestReadsStandardInput: -f - reads the boot file from stdin, and errors
// name it "-".
func TestReadsStandardInput(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{bootFile("s", okProcess), "pod/df-01\n"},
		{bootFile("s", "  - name: x\n"), "error: -: 2 problems:\n  -:7: process \"x\": spec.processes[0].host: required"},
	} {
		var out, errOut bytes.Buffer
		t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
		code := plugin.Execute(genericiooptions.IOStreams{In: strings.NewReader(c.in), Out: &out, ErrOut: &errOut},
			[]string{"boot", "-f", "-", "--dry-run=client", "-o", "name"})
		if got := out.String() + errOut.String(); !strings.Contains(got, c.want) || (code == 0) != strings.HasPrefix(c.want, "pod/") {
			t.Errorf("exit %d, output %q, want %q", code, got, c.want)
		}
	}
}
