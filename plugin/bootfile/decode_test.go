package bootfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

const good = `apiVersion: drunc.daq/v1alpha1
kind: BootFile
metadata:
  name: demo
spec:
  env: {SHARED: "1", OVERRIDDEN: from-spec}
  processes:
  - name: root-controller
    host: np02-srv-001
    treeId: 0
    executables:
    - exec: source
      args: [/rte.sh]
    - exec: drunc-controller
      args: [--port, 3333, "it's", "", 1.10, true]
      shell: "&& echo done"
    env: {OVERRIDDEN: from-process}
    workingDir: /run
    logPath: /log/rc.log
    dataMount: .
    image: example/img:1
    uuid: 6f1c1d5e-9a55-4d6b-9a3c-2f7b8c0d1e2f
`

func TestDecodeGood(t *testing.T) {
	f, err := Decode("good.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.Session(Overrides{DefaultUser: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	p := s.Processes[0]
	if s.Name != "demo" || s.User != "alice" || p.TreeID != "0" || p.Role() != session.RoleRootController {
		t.Fatalf("session %+v", s)
	}
	if got := strings.Join(p.Executables[1].Args, "|"); got != "--port|3333|it's||1.10|true" {
		t.Fatalf("scalars are taken as their literal text: %q", got)
	}
	if p.Executables[1].Shell != "&& echo done" || p.Env["SHARED"] != "1" || p.Env["OVERRIDDEN"] != "from-process" ||
		p.WorkingDir != "/run" || p.LogPath != "/log/rc.log" || p.DataMount != "." || p.Image != "example/img:1" || p.UUID == "" {
		t.Fatalf("process %+v", p)
	}
	s, err = f.Session(Overrides{Session: "other", User: "bob", DefaultUser: "alice"})
	if err != nil || s.Name != "other" || s.User != "bob" {
		t.Fatalf("overrides: %+v %v", s, err)
	}
}

func TestDecodeJSON(t *testing.T) {
	doc := `{"apiVersion": "drunc.daq/v1alpha1", "kind": "BootFile", "metadata": {"name": "j"},
	  "spec": {"user": "u", "processes": [{"name": "a", "host": "h", "treeId": "0.1", "executables": [{"exec": "x", "args": ["1"]}]}]}}`
	f, err := Decode("j.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.Session(Overrides{}); err != nil || s.User != "u" || s.Processes[0].Executables[0].Args[0] != "1" {
		t.Fatalf("%+v %v", s, err)
	}
}

func problems(t *testing.T, doc string) string {
	t.Helper()
	f, err := Decode("bad.yaml", []byte(doc))
	if err == nil {
		_, err = f.Session(Overrides{DefaultUser: "alice"})
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v", err)
	}
	return err.Error()
}

func TestDecodeReportsEveryProblemWithLine(t *testing.T) {
	doc := `apiVersion: drunc.daq/v1alpha1
kind: BootFile
metadata:
  name: demo
  namespace: x
spec:
  processes:
  - name: app
    hots: np02-srv-001
    treeId: [0]
    executables:
    - exec: x
      args: {a: b}
  - name: other
    host: h
    host: h2
    executables: x
`
	msg := problems(t, doc)
	for _, want := range []string{
		`bad.yaml:5: metadata.namespace: unknown field "namespace" (known fields: name)`,
		`bad.yaml:9: process "app": spec.processes[0].hots: unknown field "hots" (known fields: dataMount, env, executables, host, image, logPath, name, treeId, uuid, workingDir)`,
		`bad.yaml:10: process "app": spec.processes[0].treeId: must be a string, got a list`,
		`bad.yaml:13: process "app": spec.processes[0].executables[0].args: must be a list, got a mapping`,
		`bad.yaml:16: process "other": spec.processes[1].host: is given twice`,
		`bad.yaml:17: process "other": spec.processes[1].executables: must be a list, got "x"`,
		"bad.yaml: 6 problems",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

func TestValidationErrorsPointAtLines(t *testing.T) {
	doc := `apiVersion: drunc.daq/v1alpha1
kind: BootFile
metadata:
  name: Demo_Session
spec:
  processes:
  - name: df-01
    treeId: "0.1"
    executables: [{exec: x}]
  - name: df-01
    host: Bad_Host
    executables: [{exec: x}]
`
	msg := problems(t, doc)
	for _, want := range []string{
		`bad.yaml:4: metadata.name: session name "Demo_Session" is not a valid namespace name`,
		`bad.yaml:7: process "df-01": spec.processes[0].host: required`,
		`bad.yaml:10: process "df-01": spec.processes[1].name: duplicate process name`,
		`bad.yaml:11: process "df-01": spec.processes[1].host: "Bad_Host" is not a valid node name`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	f, _ := Decode("bad.yaml", []byte(doc))
	_, err := f.Session(Overrides{Session: "Bad!", DefaultUser: "alice"})
	if !strings.Contains(err.Error(), `bad.yaml: -n: session name "Bad!"`) {
		t.Errorf("an -n override is named as the flag: %v", err)
	}
}

func TestDecodeDocumentErrors(t *testing.T) {
	for doc, want := range map[string]string{
		"":                                   "bad.yaml: the file is empty",
		"a: [1\n":                            "not valid YAML",
		"key: value\n  bad: indent\n":        "bad.yaml:2: not valid YAML",
		"- a\n- b\n":                         "must be a mapping",
		"apiVersion: v1\nkind: Pod\n":        `apiVersion: must be drunc.daq/v1alpha1, got "v1"`,
		"apiVersion: drunc.daq/v1alpha1\n":   `kind: must be BootFile, got ""`,
		"kind: BootFile\n---\nkind: Other\n": "bad.yaml:2: the file holds more than one document",
		"apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata: {name: s}\nspec: {processes: []}\n": "bad.yaml:4: spec.processes: the session has no processes",
	} {
		if msg := problems(t, doc); !strings.Contains(msg, want) {
			t.Errorf("%q: got %q, want %q", doc, msg, want)
		}
	}
}

func TestExampleBootFileIsValid(t *testing.T) {
	path := filepath.Join("..", "..", "examples", "boot", "demo-session.yaml")
	f, err := Read(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.Session(Overrides{DefaultUser: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	roles := map[session.Role]int{}
	for _, p := range s.Processes {
		roles[p.Role()]++
	}
	if roles[session.RoleRootController] != 1 || roles[session.RoleSegmentController] != 1 || roles[session.RoleApplication] != 2 || roles[session.RoleInfrastructure] != 1 {
		t.Fatalf("the example shows each role: %v", roles)
	}
}

func TestReadStdin(t *testing.T) {
	f, err := Read("-", strings.NewReader(good))
	if err != nil || f.Name != "-" {
		t.Fatal(err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "nope.yaml"), nil); err == nil || !os.IsNotExist(errors.Unwrap(err)) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestDecodeBoundsAliasExpansion(t *testing.T) {
	// 300 processes x 64 executables x 64 arguments, written in a few lines
	// through aliases: rejected, not expanded.
	doc := "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata: {name: s}\nspec:\n  env: {A: &x0 a}\n  processes:\n"
	doc += "  - &p {name: p, host: h, executables: &es [&e {exec: x, args: &a [" + strings.TrimSuffix(strings.Repeat("*x0,", 64), ",") + "]}" +
		strings.Repeat(", *e", 63) + "]}\n" + strings.Repeat("  - *p\n", 300)
	msg := problems(t, doc)
	if !strings.Contains(msg, "expands to more than") {
		t.Fatalf("got %.300s", msg)
	}
}

func TestInvalidInvokingUserSaysHowToFixIt(t *testing.T) {
	f, err := Decode("b.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Session(Overrides{DefaultUser: `DOMAIN\user`})
	if err == nil || !strings.Contains(err.Error(), `b.yaml: user: "DOMAIN\\user" is not a valid user name`) || !strings.Contains(err.Error(), "set spec.user or --user") {
		t.Fatalf("%v", err)
	}
}
