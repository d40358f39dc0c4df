package ps_test

import (
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// demo is a session whose segment controllers' names do not sort like
// their tree ids, as in the DUNE example session.
func demo() *fake.Clientset {
	seg := vt.Role(session.RoleSegmentController)
	return vt.Clientset(
		vt.Namespace("demo"),
		vt.Proc("demo", "root-controller", "0", "u0", vt.Role(session.RoleRootController)),
		vt.Proc("demo", "ru-controller", "0.0", "u1", seg),
		vt.Proc("demo", "df-controller", "0.1", "u2", seg),
		vt.Proc("demo", "trg-controller", "0.2", "u3", seg),
		vt.Proc("demo", "hsi-fake-controller", "0.3", "u4", seg),
		vt.Proc("demo", "ru-01", "0.0.0", "u5"),
		vt.Proc("demo", "df-01", "0.1.0", "u6"),
		vt.Namespace("empty"), vt.Namespace("default"),
	)
}

// names are the first column of a table, without indentation.
func names(out string) string {
	var got []string
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if i == 0 || line == "" {
			continue
		}
		got = append(got, strings.Fields(line)[0])
	}
	return strings.Join(got, " ")
}

// A filter keeps the order the processes have in the whole session
// (children of a controller in tree-id order: the configuration's),
// whichever processes it drops.
func TestFilterKeepsTheSessionOrder(t *testing.T) {
	cs := demo()
	all := vt.Run(t, cs, "ps", "-n", "demo")
	if all.Code != 0 {
		t.Fatalf("ps: %+v", all)
	}
	want := "root-controller ru-controller ru-01 df-controller df-01 trg-controller hsi-fake-controller"
	if got := names(all.Out); got != want {
		t.Fatalf("unfiltered order %q, want %q", got, want)
	}
	for _, c := range []struct{ args, want string }{
		{"--role segment-controller", "ru-controller df-controller trg-controller hsi-fake-controller"},
		{"--role application", "ru-01 df-01"},
		{"controller$", "root-controller ru-controller df-controller trg-controller hsi-fake-controller"},
		{"01$", "ru-01 df-01"},
	} {
		r := vt.Run(t, cs, append([]string{"ps", "-n", "demo"}, strings.Fields(c.args)...)...)
		if got := names(r.Out); r.Code != 0 || got != c.want {
			t.Errorf("ps %s: code %d, order %q, want %q (stderr %q)", c.args, r.Code, got, c.want, r.Err)
		}
	}
	// The same holds for structured output.
	r := vt.Run(t, cs, "ps", "-n", "demo", "--role", "segment-controller", "-o", "name")
	if want := "pod/ru-controller\npod/df-controller\npod/trg-controller\npod/hsi-fake-controller\n"; r.Out != want {
		t.Errorf("-o name: %q, want %q", r.Out, want)
	}
}

func TestSelectionErrors(t *testing.T) {
	cs := demo()
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown session", []string{"ps", "-n", "nosuch"}, 1, `error: session "nosuch" not found: there is no namespace "nosuch"`},
		{"empty session", []string{"ps", "-n", "empty"}, 0, `No processes found in session "empty".`},
		{"no match", []string{"ps", "-n", "demo", "nothing-like-this"}, 0, `No processes found in session "demo".`},
		{"session given as a name", []string{"ps", "demo"}, 0, `No processes found in session "default". "demo" is a session: to select it, give -n demo.`},
		{"every session", []string{"ps", "-A", "nothing-like-this"}, 0, "No processes found in any session."},
		{"bad regex", []string{"ps", "-n", "demo", "ru-("}, 1, `process name "ru-(" is not a valid regular expression`},
		{"bad role", []string{"ps", "-n", "demo", "--role", "boss"}, 1, `--role "boss" is not a drunc role`},
		{"bad label domain", []string{"ps", "-n", "demo", "--drunc-label", "a/b"}, 1, "--drunc-label"},
		{"watch events without watch", []string{"ps", "-n", "demo", "--output-watch-events"}, 1, "--output-watch-events needs --watch"},
		{"bad output", []string{"ps", "-n", "demo", "-o", "xml"}, 1, "xml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, cs, c.args...)
			if r.Code != c.code || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stderr %q; want %d and %q", r.Code, r.Err, c.code, c.stderr)
			}
			if c.code == 0 && r.Out != "" {
				t.Errorf("stdout %q, want nothing", r.Out)
			}
		})
	}
}

func TestAllSessionsShowsTheSessionColumn(t *testing.T) {
	r := vt.Run(t, demo(), "ps", "-A", "ru-01")
	if r.Code != 0 || !strings.HasPrefix(r.Out, "SESSION") || !strings.Contains(r.Out, "demo") {
		t.Errorf("ps -A: %+v", r)
	}
}
