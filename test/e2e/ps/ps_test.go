package ps

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// stable replaces the five random letters of a unique name made from
// prefix, keeping its length so the table's alignment is unchanged.
func stable(prefix, name string) string {
	return prefix + "-XXXXX" + name[len(prefix)+6:]
}

// TestTreeAndFormats: a three-level session rendered as boot renders it,
// plus a process made by drunc's Python manager, listed in tree order with
// indentation, and in every kubectl output format.
func TestTreeAndFormats(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hostBase := testcluster.NodeNames("ps-host", 2)
	tc.Nodes(t, hostBase...)
	ns := tc.Namespace(t, "ps-tree")
	tc.WaitServiceAccount(t, ns)
	createRendered(t, tc, ns, "alice", hostBase, threeLevels)
	createPod(t, tc, ns, pythonPod("dqm-01", "0.2", hostBase[1], "bob"))
	waitReady(t, tc, ns, len(threeLevels)+1)

	replace := map[string]string{hostBase[0]: stable("ps-host", hostBase[0]), hostBase[1]: stable("ps-host", hostBase[1]), ns: stable("ps-tree", ns)}
	golden.Assert(t, "tree.txt", []byte(normalize(ps(t, tc, "-n", ns), replace)))

	// Sorted rows are no tree: nothing is indented.
	for _, l := range strings.Split(strings.TrimSpace(ps(t, tc, "-n", ns, "--sort-by", "NAME")), "\n")[1:] {
		if strings.HasPrefix(l, " ") {
			t.Errorf("ps --sort-by NAME indents %q", l)
		}
	}

	// Filters that leave nothing say why, on stderr.
	for args, want := range map[string]string{
		"--problems":         "No problems: all 10 selected processes are Running and ready.",
		"--status Error":     "None of the 10 selected processes has STATUS Error: their STATUS is Running (10).",
		"^ru-01$ --problems": "No problems: the selected process is Running and ready.",
	} {
		out, errOut, code := tc.Plugin(t, append([]string{"ps", "-n", ns}, strings.Fields(args)...)...)
		if code != 0 || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("ps %s: exit %d, stdout %q, stderr %q; want %q", args, code, out, errOut, want)
		}
	}

	// -o wide: uuid (random), tree id, user, IP (fake) and executable.
	wide := ps(t, tc, "-n", ns, "-o", "wide")
	if !strings.Contains(wide, "UUID") || !strings.Contains(wide, "EXECUTABLE") {
		t.Errorf("-o wide lacks its columns:\n%s", wide)
	}
	flat := strings.Join(strings.Fields(wide), " ")
	for _, want := range []string{"python-dqm-01 0.2 bob", "0.0.0.1 alice", "drunc-controller", "gunicorn", "daq_application"} {
		if !strings.Contains(flat, want) {
			t.Errorf("-o wide lacks %q:\n%s", want, wide)
		}
	}

	// -o name in tree order; the Python-made pod is a process like the others.
	wantNames := "pod/root-controller pod/seg-a pod/seg-a-sub pod/ru-01 pod/ru-02 pod/tp-01 pod/seg-b pod/df-01 pod/dqm-01 pod/local-connection-server"
	if got := strings.Join(strings.Fields(ps(t, tc, "-n", ns, "-o", "name")), " "); got != wantNames {
		t.Errorf("-o name:\n got %s\nwant %s", got, wantNames)
	}

	// -o json and -o yaml: a v1 List of typed pods.
	for _, format := range []string{"json", "yaml"} {
		var list corev1.List
		out := ps(t, tc, "-n", ns, "-o", format)
		var err error
		if format == "json" {
			err = json.Unmarshal([]byte(out), &list)
		} else {
			err = yaml.Unmarshal([]byte(out), &list)
		}
		if err != nil || list.Kind != "List" || len(list.Items) != len(threeLevels)+1 {
			t.Fatalf("-o %s: kind %q, %d items, %v", format, list.Kind, len(list.Items), err)
		}
		var first corev1.Pod
		if err := json.Unmarshal(list.Items[0].Raw, &first); err != nil || first.Kind != "Pod" || first.APIVersion != "v1" || first.Name != "root-controller" {
			t.Errorf("-o %s: first item %s/%s %s (%v)", format, first.APIVersion, first.Kind, first.Name, err)
		}
		if len(first.ManagedFields) != 0 {
			t.Errorf("-o %s prints managedFields", format)
		}
	}

	for _, c := range []struct{ args, want string }{
		{"-o jsonpath={.items[*].metadata.name}", "root-controller seg-a seg-a-sub ru-01 ru-02 tp-01 seg-b df-01 dqm-01 local-connection-server"},
		{"-o custom-columns=P:.metadata.name,T:.metadata.labels.tree-id\\.drunc\\.daq --no-headers ru", "ru-01 0.0.0.0 ru-02 0.0.0.1"},
		{"-o go-template={{range.items}}{{.metadata.name}},{{end}} --role segment-controller", "seg-a,seg-a-sub,seg-b,"},
		// Filters AND together; regexes are searched, any of them matches.
		{"-o name ^ru- df --user alice", "pod/ru-01 pod/ru-02 pod/df-01"},
		{"-o name --user bob", "pod/dqm-01"},
		{"-o name --uuid python-dqm-01 --uuid nope", "pod/dqm-01"},
		{"-o name -l app=tp-01", "pod/tp-01"},
		{"-o name --role root-controller --role infrastructure-applications", "pod/root-controller pod/local-connection-server"},
		{"--no-headers --show-labels tp-01", "tp-01"},
	} {
		args := append([]string{"-n", ns}, strings.Fields(c.args)...)
		got := strings.Join(strings.Fields(ps(t, tc, args...)), " ")
		if !strings.Contains(got, c.want) {
			t.Errorf("ps %s:\n got %s\nwant %s", c.args, got, c.want)
		}
	}
	if got := ps(t, tc, "-n", ns, "--show-labels", "tp-01"); !strings.Contains(got, "LABELS") || !strings.Contains(got, "tree-id.drunc.daq=0.0.1") {
		t.Errorf("--show-labels:\n%s", got)
	}
}

// TestAllSessions: -A lists every session with a SESSION column, each in
// tree order, sessions by name.
func TestAllSessions(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-all", 1)
	tc.Nodes(t, hosts...)
	var sessions []string
	for range 3 {
		ns := tc.Namespace(t, "ps-all")
		tc.WaitServiceAccount(t, ns)
		createRendered(t, tc, ns, "carol", hosts, []proc{{"root-controller", "0", "drunc-controller", 0}, {"app-1", "0.0", "daq_application", 0}})
		sessions = append(sessions, ns)
	}
	for _, ns := range sessions {
		waitReady(t, tc, ns, 2)
	}
	out := ps(t, tc, "-A")
	if !strings.HasPrefix(out, "SESSION ") {
		t.Fatalf("-A has no SESSION column:\n%s", out)
	}
	var mine []string
	for _, l := range strings.Split(out, "\n") {
		for _, ns := range sessions {
			if strings.HasPrefix(l, ns+" ") {
				mine = append(mine, strings.Join(strings.Fields(l)[:2], " "))
			}
		}
	}
	// Namespaces are sorted; ours have random suffixes, so sort them too.
	sorted := append([]string(nil), sessions...)
	sort.Strings(sorted)
	var want []string
	for _, ns := range sorted {
		want = append(want, ns+" root-controller", ns+" app-1")
	}
	if strings.Join(mine, "|") != strings.Join(want, "|") {
		t.Errorf("-A rows:\n got %v\nwant %v\n%s", mine, want, out)
	}
	// With -n, only that session and no SESSION column.
	if got := ps(t, tc, "-n", sessions[1]); strings.Contains(got, "SESSION") || strings.Count(got, "\n") != 3 {
		t.Errorf("-n %s:\n%s", sessions[1], got)
	}
}

// TestBadInput: a regex that does not compile and an unknown role fail
// before any API call, with a message naming the argument.
func TestBadInput(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ps", "-n", "x", "ru-("}, `process name "ru-(" is not a valid regular expression`},
		{[]string{"ps", "-n", "x", "--role", "boss"}, `--role "boss" is not a drunc role`},
		{[]string{"ps", "-n", "x", "-o", "table"}, `unable to match a printer suitable for the output format "table"`},
		{[]string{"ps", "-n", "x", "--output-watch-events"}, "--output-watch-events needs --watch"},
	} {
		out, errOut, code := tc.Plugin(t, c.args...)
		if code == 0 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want an error with %q", c.args, code, out, errOut, c.want)
		}
	}
	// An empty session says so on stderr, not stdout.
	ns := tc.Namespace(t, "ps-empty")
	out, errOut, code := tc.Plugin(t, "ps", "-n", ns)
	if code != 0 || out != "" || !strings.Contains(errOut, "No processes found in session") {
		t.Errorf("empty session: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
