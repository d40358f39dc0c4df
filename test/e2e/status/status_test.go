// Package status proves `kubectl drunc status` against the local control
// plane: a session with a process exited 3, one Unschedulable and one on a
// lost node is listed with exactly those three and exits 1; a healthy one
// exits 0; -A prints one line per session; -o json follows its schema; it
// lists only the Warning events of its pods.
package status

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
)

// procs: hosts[0] healthy then cordoned and tainted, hosts[1] lost, hosts[2] no node.
var procs = []e2eproc.Proc{
	{Name: "root-controller", TreeID: "0", Exec: "drunc-controller", Host: 0},
	{Name: "ru-01", TreeID: "0.0", Exec: "daq_application", Host: 0},
	{Name: "ru-02", TreeID: "0.1", Exec: "daq_application", Host: 2},
	{Name: "df-01", TreeID: "0.2", Exec: "daq_application", Host: 1},
	{Name: "tp-01", TreeID: "0.3", Exec: "daq_application", Host: 0},
}

func create(t *testing.T, tc *testcluster.Cluster, ns string, hosts []string, ps []e2eproc.Proc) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range e2eproc.Render(t, ns, "alice", hosts, ps).Processes {
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{}); err != nil {
			t.Fatalf("creating pod %s: %v", r.Pod.Name, err)
		}
	}
}

// statusUntil runs status until check accepts its JSON (bounded): kwok and
// the scheduler act in their own time.
func statusUntil(t *testing.T, tc *testcluster.Cluster, ns string, check func(*health.Report) bool) *health.Report {
	t.Helper()
	var last string
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		out, errOut, code := tc.Plugin(t, "status", "-n", ns, "-o", "json")
		last = out + errOut
		if code > 1 {
			t.Fatalf("status -n %s -o json: exit %d\n%s", ns, code, last)
		}
		r := &health.Report{}
		if err := json.Unmarshal([]byte(out), r); err != nil {
			t.Fatalf("status -o json is not JSON: %v\n%s", err, out)
		}
		if check(r) {
			return r
		}
	}
	t.Fatalf("status of %s never reached the expected state within 90s; last:\n%s", ns, last)
	return nil
}

func problemNames(r *health.Report) string {
	var names []string
	for _, s := range r.Sessions {
		for _, p := range s.Problems {
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

func TestStatusFindsTheThreeProblems(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("st", 2)
	tc.Nodes(t, hosts...)
	hosts = append(hosts, testcluster.UniqueName("st-nohost"))
	ns := tc.Namespace(t, "status")
	healthy := tc.Namespace(t, "status-ok")
	create(t, tc, ns, hosts, procs)
	create(t, tc, healthy, hosts, procs[:1])

	statusUntil(t, tc, ns, func(r *health.Report) bool { return len(r.Sessions) == 1 && r.Sessions[0].Ready == 4 })
	statusUntil(t, tc, healthy, func(r *health.Report) bool { return r.Healthy })
	tc.ExitPod(t, ns, "ru-01", 3)
	tc.LoseNode(t, hosts[1])
	tc.CordonNode(t, hosts[0])
	tc.TaintNode(t, hosts[0], corev1.Taint{Key: "drunc.test/maintenance", Effect: corev1.TaintEffectNoSchedule})
	r := statusUntil(t, tc, ns, func(r *health.Report) bool { return problemNames(r) == "df-01 ru-01 ru-02" })

	s := r.Sessions[0]
	if r.APIVersion != health.SchemaVersion || r.Kind != health.Kind || r.Healthy || !r.HostsChecked || s.Processes != 5 || s.Ready != 2 {
		t.Errorf("report header: %+v", r)
	}
	want := map[string]struct {
		state  health.State
		exit   int32 // -1: none
		reason string
	}{
		"df-01": {health.NodeLost, -1, "stopped reporting"},
		"ru-01": {health.Exited, 3, "Error"},
		"ru-02": {health.Unschedulable, -1, "node affinity/selector"},
	}
	for _, p := range s.Problems {
		w := want[p.Name]
		got := p.Reason + ": " + p.Message
		switch {
		case p.State != w.state:
			t.Errorf("%s: state %s, want %s", p.Name, p.State, w.state)
		case (w.exit < 0) != (p.ExitCode == nil), p.ExitCode != nil && *p.ExitCode != w.exit:
			t.Errorf("%s: exit %v, want %d", p.Name, p.ExitCode, w.exit)
		case !strings.Contains(got, w.reason):
			t.Errorf("%s: reason %q lacks %q", p.Name, got, w.reason)
		}
	}
	var hostProblems []string
	for _, h := range s.Hosts {
		hostProblems = append(hostProblems, h.String())
	}
	// Lost first, then by (random) name.
	if len(hostProblems) != 3 || hostProblems[0] != "Lost" || !sort.StringsAreSorted([]string{s.Hosts[1].Name, s.Hosts[2].Name}) ||
		!strings.Contains(strings.Join(hostProblems, " "), "Cordoned,Tainted") || !strings.Contains(strings.Join(hostProblems, " "), "Unknown") {
		t.Errorf("host problems %+v, want Lost first, then Cordoned,Tainted and Unknown by name", s.Hosts)
	}

	// The screen: problems first, exit 1.
	out, errOut, code := tc.Plugin(t, "status", "-n", ns)
	if code != 1 {
		t.Fatalf("status -n %s: exit %d, want 1\n%s%s", ns, code, out, errOut)
	}
	t.Logf("kubectl drunc status -n %s:\n%s", ns, out)
	lines := strings.Split(out, "\n")
	if !strings.Contains(lines[0], "UNHEALTHY, 3 of 5 processes not Ready") || !strings.HasPrefix(lines[2], "PROCESS") {
		t.Errorf("the screen does not start with the headline and the problems:\n%s", out)
	}
	for i, name := range []string{"df-01", "ru-01", "ru-02"} {
		if !strings.HasPrefix(lines[3+i], name) {
			t.Errorf("problem line %d is not %s:\n%s", i, name, out)
		}
	}
	if errOut != "" { // the screen says it: no "error:" line
		t.Errorf("stderr: %q, want nothing", errOut)
	}

	// A healthy session exits 0.
	if out, errOut, code := tc.Plugin(t, "status", "-n", healthy); code != 0 || !strings.Contains(out, "healthy, 1 of 1 processes Ready") {
		t.Errorf("healthy session: exit %d\n%s%s", code, out, errOut)
	}

	// -A: one line per session (others' sessions too: the cluster is shared).
	out, errOut, code = tc.Plugin(t, "status", "-A")
	if code != 1 {
		t.Errorf("status -A with an unhealthy session: exit %d, want 1\n%s", code, errOut)
	}
	for name, health := range map[string]string{ns: "Unhealthy", healthy: "Healthy"} {
		var found []string
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == name {
				found = append(found, l)
			}
		}
		if len(found) != 1 || strings.Fields(found[0])[1] != health {
			t.Errorf("status -A: lines of %s %q, want one %s line\n%s", name, found, health, out)
		}
	}
}

// Errors exit 2: an unknown session, a bad flag.
func TestStatusErrors(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	nosuch := testcluster.UniqueName("nosuch")
	if _, errOut, code := tc.Plugin(t, "status", "-n", nosuch); code != 2 || !strings.Contains(errOut, `session "`+nosuch+`" not found`) {
		t.Errorf("unknown session: exit %d, want 2\n%s", code, errOut)
	}
	if _, errOut, code := tc.Plugin(t, "status", "--bogus"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2\n%s", code, errOut)
	}
	if _, errOut, code := tc.Plugin(t, "status", "-o", "wide"); code != 2 || !strings.Contains(errOut, "use json or yaml") {
		t.Errorf("-o wide: exit %d, want 2\n%s", code, errOut)
	}
}

// TestStatusJSONWithNothingSelected: -o json still prints its document,
// unhealthy with no sessions, so a script reads .healthy; exit 1.
func TestStatusJSONWithNothingSelected(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "status-empty")
	out, errOut, code := tc.Plugin(t, "status", "-n", ns, "-o", "json")
	var r health.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || r.Healthy || r.Sessions == nil || len(r.Sessions) != 0 || r.Kind != health.Kind {
		t.Errorf("status -o json of an empty session: exit %d, %v, %+v; want 1, healthy false, sessions []\n%s%s", code, err, r, out, errOut)
	}
}
