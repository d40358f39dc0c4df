package reliability

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// badCase is one malformed input: the command, the files it reads, and
// what its one error must name (file, object, field).
type badCase struct {
	name  string
	files map[string]string // base name → content, written to a temp dir; {dir} in args is that dir
	args  []string          // {session} is the case's session name, {live} a running session
	want  []string          // every one must appear in stderr ({dir}, {session} expanded)
}

const goodProc = `  - name: app-001
    host: %s
    treeId: "0.0"
    executables:
    - exec: daq_application
`

func bootDoc(session, processes string) string {
	return "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata:\n  name: " + session + "\nspec:\n  processes:\n" + processes
}

// TestBadInputWritesNothing: each malformed input (boot files, OKS files,
// PM configs, names, regexes, flags) fails with a clear message naming the
// file, object and field, a non-zero exit and nothing on stdout; the
// apiserver's audit log then shows no write by kubectl-drunc in the
// sessions concerned, and the running session's objects are unchanged.
func TestBadInputWritesNothing(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("bad", 1)
	tc.Nodes(t, hosts...)
	live := tc.UniqueName("bad-live")
	boot(t, tc, live, generated(hosts, 2))
	auditFrom := auditSize(t, tc)
	h := hosts[0]
	proc := fmt.Sprintf(goodProc, h)

	cases := []badCase{
		{name: "malformed YAML", files: map[string]string{"boot.yaml": "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata: [\n"},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "-n", "{session}"}, want: []string{"boot.yaml"}},
		{name: "unknown field", files: map[string]string{"boot.yaml": bootDoc("{session}", proc+"    hots: x\n")},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "app-001", "hots"}},
		{name: "wrong type", files: map[string]string{"boot.yaml": bootDoc("{session}", proc+"    env: [a, b]\n")},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "env"}},
		{name: "invalid process name", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, "app-001", "App_001", 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "App_001", "name"}},
		{name: "process name escaping a path", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, "app-001", "../../etc/passwd", 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "../../etc/passwd", "name"}},
		{name: "process name too long for a label", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, "app-001", strings.Repeat("a", 70), 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", strings.Repeat("a", 70), "name"}},
		{name: "duplicate process", files: map[string]string{"boot.yaml": bootDoc("{session}", proc+strings.Replace(proc, `"0.0"`, `"0.1"`, 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "app-001", "duplicate"}},
		{name: "missing host", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, "    host: "+h+"\n", "", 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "app-001", "host"}},
		{name: "bad tree id", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, `"0.0"`, `"0..x"`, 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "app-001", "0..x"}},
		{name: "env name that is not a variable", files: map[string]string{"boot.yaml": bootDoc("{session}", proc+"    env:\n      \"A B\": x\n")},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml", "app-001", "A B"}},
		{name: "spec.env name that is not a variable, named once at its line", files: map[string]string{"boot.yaml": strings.Replace(bootDoc("{session}", proc+strings.Replace(strings.Replace(proc, "app-001", "app-002", 1), `"0.0"`, `"0.1"`, 1)), "spec:\n", "spec:\n  env:\n    \"A B\": x\n", 1)},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"boot.yaml:7: spec.env.A B: "}},
		{name: "invalid session name", files: map[string]string{"boot.yaml": bootDoc("Bad_Session", proc)},
			args: []string{"boot", "-f", "{dir}/boot.yaml"}, want: []string{"Bad_Session"}},
		{name: "session name from -n that escapes", files: map[string]string{"boot.yaml": bootDoc("{session}", proc)},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "-n", "../kube-system"}, want: []string{"../kube-system"}},
		{name: "user name escaping the home path", files: map[string]string{"boot.yaml": bootDoc("{session}", proc)},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--user", "../../root"}, want: []string{"../../root"}},
		{name: "user name that is a parent directory", files: map[string]string{"boot.yaml": bootDoc("{session}", proc)},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--user", ".."}, want: []string{`".." is not a valid user name`}},
		{name: "user name with shell", files: map[string]string{"boot.yaml": bootDoc("{session}", proc)},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--user", "a;reboot"}, want: []string{"a;reboot"}},
		{name: "unknown host", files: map[string]string{"boot.yaml": bootDoc("{session}", strings.Replace(proc, h, "no-such-node-x1", 1))},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--no-probe"}, want: []string{"no-such-node-x1", "app-001"}},
		{name: "missing boot file", args: []string{"boot", "-f", "{dir}/nope.yaml", "-n", "{session}"}, want: []string{"nope.yaml"}},
		{name: "PM config malformed JSON", files: map[string]string{"boot.yaml": bootDoc("{session}", proc), "pm.json": `{"type": "k8s", "settings": {`},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--pm-config", "{dir}/pm.json"}, want: []string{"pm.json"}},
		{name: "PM config wrong type", files: map[string]string{"boot.yaml": bootDoc("{session}", proc), "pm.json": `{"type": "k8s", "settings": {"pod_management": {"kill_timeout": "soon"}}}`},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--pm-config", "{dir}/pm.json"}, want: []string{"pm.json", "kill_timeout"}},
		{name: "PM config bad label domain", files: map[string]string{"boot.yaml": bootDoc("{session}", proc), "pm.json": `{"type": "k8s", "settings": {"labels": {"drunc_label": "a b/c"}}}`},
			args: []string{"boot", "-f", "{dir}/boot.yaml", "--pm-config", "{dir}/pm.json"}, want: []string{"pm.json", "drunc_label"}},
		{name: "OKS malformed XML", files: map[string]string{"s.data.xml": "<oks-data>\n<obj class=\"Session\" id=\"s\">\n"},
			args: []string{"boot", "--oks", "{dir}/s.data.xml", "--session-id", "s", "-n", "{session}"}, want: []string{"s.data.xml"}},
		{name: "OKS missing include", files: map[string]string{"s.data.xml": "<?xml version=\"1.0\"?>\n<oks-data>\n<include>\n <file path=\"no/such/schema.xml\"/>\n</include>\n</oks-data>\n"},
			args: []string{"boot", "--oks", "{dir}/s.data.xml", "--session-id", "s", "-n", "{session}", "--db-path", "{dir}"}, want: []string{"s.data.xml", "no/such/schema.xml"}},
		{name: "OKS missing file", args: []string{"boot", "--oks", "{dir}/none.data.xml", "--session-id", "s", "-n", "{session}"}, want: []string{"none.data.xml"}},
		{name: "kill: regex that does not compile", args: []string{"kill", "-n", "{live}", "app-(["}, want: []string{"app-(["}},
		{name: "kill: no selection", args: []string{"kill"}, want: []string{"-n", "ps"}},
		{name: "flush: regex that does not compile", args: []string{"flush", "-n", "{live}", "*app"}, want: []string{"*app"}},
		{name: "restart: regex that does not compile", args: []string{"restart", "-n", "{live}", "app-[0"}, want: []string{"app-[0"}},
		{name: "terminate: no session", args: []string{"terminate"}, want: []string{"-n"}},
		{name: "kill: unknown session", args: []string{"kill", "-n", "{session}", "app"}, want: []string{"{session}"}},
		{name: "kill: negative grace period", args: []string{"kill", "-n", "{live}", "app-001", "--grace-period=-5"}, want: []string{"grace-period"}},
		{name: "kill: unknown flag", args: []string{"kill", "-n", "{live}", "app-001", "--crash"}, want: []string{"--crash"}},
		{name: "kill: bad label selector", args: []string{"kill", "-n", "{live}", "-l", "app in (("}, want: []string{"app in (("}},
		{name: "wait: unknown condition", args: []string{"wait", "-n", "{live}", "--for=healthy"}, want: []string{"healthy"}},
	}

	var sessions []string
	before := snapshotLive(t, tc, live)
	for _, c := range cases {
		session := tc.UniqueName("bad")
		sessions = append(sessions, session)
		dir := t.TempDir()
		expand := func(s string) string {
			return strings.NewReplacer("{dir}", dir, "{session}", session, "{live}", live).Replace(s)
		}
		for name, content := range c.files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(expand(content)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		args := make([]string, len(c.args))
		for i, a := range c.args {
			args[i] = expand(a)
		}
		stdout, stderr, code := tc.Plugin(t, args...)
		switch {
		case code == 0:
			t.Errorf("%s: kubectl drunc %s exited 0", c.name, strings.Join(args, " "))
		case stdout != "":
			t.Errorf("%s: stdout not empty:\n%s", c.name, stdout)
		case strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine "):
			t.Errorf("%s: crashed:\n%s", c.name, stderr)
		}
		for _, w := range c.want {
			if w = expand(w); !strings.Contains(stderr, w) {
				t.Errorf("%s: the error does not name %q:\n%s", c.name, w, stderr)
			}
		}
		t.Logf("%s: exit %d: %s", c.name, code, strings.TrimSpace(stderr))
	}

	if after := snapshotLive(t, tc, live); after != before {
		t.Errorf("session %s changed:\nbefore %s\nafter  %s", live, before, after)
	}
	for _, s := range sessions {
		if gone, _ := namespaceGone(t, tc, s); !gone {
			t.Errorf("a namespace %s exists after a failed command", s)
		}
	}
	writes := auditWrites(t, tc, auditFrom, append(sessions, live))
	for _, w := range writes {
		t.Errorf("audit log: a write after bad input: %s", w)
	}
}

// snapshotLive is the running session's pods and services, by name and UID.
func snapshotLive(t *testing.T, tc *testcluster.Cluster, ns string) string {
	t.Helper()
	var parts []string
	for name, p := range pods(t, tc, ns) {
		parts = append(parts, "pod/"+name+"="+string(p.UID)+"/"+p.ResourceVersion)
	}
	for name, s := range services(t, tc, ns) {
		parts = append(parts, "service/"+name+"="+string(s.UID)+"/"+s.ResourceVersion)
	}
	return strings.Join(sortStrings(parts), " ")
}

func sortStrings(s []string) []string {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return sortedKeys(m)
}

func auditSize(t *testing.T, tc *testcluster.Cluster) int64 { return tc.AuditMark(t) }

// auditWrites returns the plugin's writes the audit log recorded since
// offset in (or to) these namespaces (testcluster.AuditWrites).
func auditWrites(t *testing.T, tc *testcluster.Cluster, offset int64, namespaces []string) []string {
	t.Helper()
	return tc.AuditWrites(t, offset, namespaces...)
}
