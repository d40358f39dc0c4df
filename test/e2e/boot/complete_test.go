package boot

import (
	"context"
	"os"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// TestBootCompletesSession: a second boot creates nothing; a boot after
// three pods went creates exactly those three with their uuids; a changed
// spec stops the boot before any write, and --replace recreates it; a
// process the file no longer has is left running, with a warning.
func TestBootCompletesSession(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("complete")
	cleanupSession(t, tc, ns)
	s := genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 6, LCSPort: lcsPort(t)}
	file := bootFile(t, s)
	if _, stderr, code := boot(t, tc, "-f", file, "--no-probe"); code != 0 {
		t.Fatalf("first boot exit code %d\n%s", code, stderr)
	}
	recordAgrees(t, tc, ns, 8)

	before := podVersions(t, tc, ns)
	stdout, stderr, code := boot(t, tc, "-f", file, "--no-probe")
	if code != 0 || !strings.Contains(stdout, "0 created, 8 already running") {
		t.Fatalf("second boot: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	if after := podVersions(t, tc, ns); !equal(before, after) {
		t.Errorf("the second boot changed pods: %v → %v", before, after)
	}

	gone := []string{"app-000", "app-002", "app-004"}
	uuids := podUUIDs(t, tc, ns)
	uids := podUIDs(t, tc, ns)
	e2eproc.DeleteAllGone(t, tc, ns, gone...)
	stdout, stderr, code = boot(t, tc, "-f", file, "--no-probe")
	if code != 0 || !strings.Contains(stdout, "3 created, 5 already running") {
		t.Fatalf("boot after three deletions: exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	nowUIDs, nowUUIDs := podUIDs(t, tc, ns), podUUIDs(t, tc, ns)
	for name, uid := range uids {
		recreated := strings.Contains(strings.Join(gone, " "), name)
		if recreated == (nowUIDs[name] == uid) {
			t.Errorf("pod %s: uid %s → %s, recreated should be %v", name, uid, nowUIDs[name], recreated)
		}
		if nowUUIDs[name] != uuids[name] {
			t.Errorf("process %s: uuid %s → %s, want it kept", name, uuids[name], nowUUIDs[name])
		}
	}
	recordAgrees(t, tc, ns, 8)

	// The same file, app-003 with other arguments.
	s.Extra = map[string][]string{"app-003": {"--verbose"}}
	if err := os.WriteFile(file, []byte(e2eproc.BootFileText(ns, s.processes(t)...)), 0o644); err != nil {
		t.Fatal(err)
	}
	before, records := podVersions(t, tc, ns), recordVersions(t, tc, ns)
	mark := tc.AuditMark(t)
	_, stderr, code = boot(t, tc, "-f", file, "--no-probe")
	if code != 1 || !strings.Contains(stderr, "app-003") || !strings.Contains(stderr, "--verbose") {
		t.Fatalf("boot of a changed spec: exit %d, want 1 naming app-003 and what differs\n%s", code, stderr)
	}
	if after := podVersions(t, tc, ns); !equal(before, after) {
		t.Errorf("the refused boot touched pods: %v → %v", before, after)
	}
	if after := recordVersions(t, tc, ns); !equal(records, after) {
		t.Errorf("the refused boot touched the session record: %v → %v", records, after)
	}
	// The apiserver's own account: not one write was even attempted.
	for _, w := range tc.AuditWrites(t, mark, ns) {
		t.Errorf("audit log: a write by the refused boot: %s", w)
	}
	_, stderr, code = boot(t, tc, "-f", file, "--no-probe", "--replace")
	if code != 0 {
		t.Fatalf("boot --replace: exit %d\n%s", code, stderr)
	}
	after := podUIDs(t, tc, ns)
	for name, uid := range podUIDs(t, tc, ns) {
		if (name == "app-003") == (nowUIDs[name] == uid) {
			t.Errorf("pod %s: uid %s → %s after --replace; only app-003 should be new", name, nowUIDs[name], after[name])
		}
	}
	if u := podUUIDs(t, tc, ns)["app-003"]; u != uuids["app-003"] {
		t.Errorf("app-003 uuid %s → %s after --replace, want it kept", uuids["app-003"], u)
	}
	recordAgrees(t, tc, ns, 8)

	// The same file without app-005: the process is left running, and
	// the boot says so.
	s.Apps = 5
	if err := os.WriteFile(file, []byte(e2eproc.BootFileText(ns, s.processes(t)...)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = boot(t, tc, "-f", file, "--no-probe")
	want := `Warning: session "` + ns + `" runs 1 process(es) this configuration does not have (app-005)`
	if code != 0 || !strings.Contains(stderr, want) || podUIDs(t, tc, ns)["app-005"] == "" {
		t.Errorf("boot of the file without app-005: exit %d, want 0 with app-005 left running and %q\n%s", code, want, stderr)
	}
}

// TestBootRefusesOtherSource: another configuration into a session is
// refused naming both sources, before any write.
func TestBootRefusesOtherSource(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("other")
	cleanupSession(t, tc, ns)
	first := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 1})
	if _, stderr, code := boot(t, tc, "-f", first, "--no-probe"); code != 0 {
		t.Fatalf("first boot exit code %d\n%s", code, stderr)
	}
	before := podVersions(t, tc, ns)
	other := bootFile(t, genSession{Name: ns + "-b", Gate: host, Hosts: []string{host}, Apps: 2})
	_, stderr, code := boot(t, tc, "-n", ns, "-f", other, "--no-probe")
	want := `session "` + ns + `" was booted from -f ` + first + `, not from -f ` + other
	if code == 0 || !strings.Contains(stderr, want) {
		t.Fatalf("boot of another source: exit %d, stderr lacks %q\n%s", code, want, stderr)
	}
	if after := podVersions(t, tc, ns); !equal(before, after) {
		t.Errorf("the refused boot touched pods: %v → %v", before, after)
	}
}

// recordAgrees checks the session record has n entries, Booted, each with
// its live pod's uid and uuid.
func recordAgrees(t *testing.T, tc *testcluster.Cluster, ns string, n int) {
	t.Helper()
	rec, err := sessionrecord.New(tc.Client, ns).Read(context.Background())
	if err != nil || !rec.Found() {
		t.Fatalf("reading the record of %s: found=%v, %v", ns, rec.Found(), err)
	}
	uids, uuids := podUIDs(t, tc, ns), podUUIDs(t, tc, ns)
	if len(rec.Entries) != n {
		t.Errorf("record has %d entries, want %d", len(rec.Entries), n)
	}
	for name, e := range rec.Entries {
		if e.State != sessionrecord.StateBooted || string(e.PodUID) != uids[name] || e.UUID != uuids[name] {
			t.Errorf("record entry %s: %s pod %s uuid %s; live pod %s uuid %s", name, e.State, e.PodUID, e.UUID, uids[name], uuids[name])
		}
	}
}

// podVersions maps each pod to its uid and resourceVersion: any write to
// a pod changes it.
func podVersions(t *testing.T, tc *testcluster.Cluster, ns string) map[string]string {
	t.Helper()
	return podField(t, tc, ns, func(p *corev1.Pod) string { return string(p.UID) + "@" + p.ResourceVersion })
}

// recordVersions maps each ConfigMap of the session record to its uid and
// resourceVersion.
func recordVersions(t *testing.T, tc *testcluster.Cluster, ns string) map[string]string {
	t.Helper()
	cms, err := tc.Client.CoreV1().ConfigMaps(ns).List(context.Background(), metav1.ListOptions{LabelSelector: sessionrecord.RecordLabel})
	if err != nil || len(cms.Items) == 0 {
		t.Fatalf("the record of %s: %d ConfigMaps, %v", ns, len(cms.Items), err)
	}
	out := map[string]string{}
	for _, cm := range cms.Items {
		out[cm.Name] = string(cm.UID) + "@" + cm.ResourceVersion
	}
	return out
}

// podUUIDs maps each pod to its process's uuid.
func podUUIDs(t *testing.T, tc *testcluster.Cluster, ns string) map[string]string {
	t.Helper()
	return podField(t, tc, ns, func(p *corev1.Pod) string { return p.Labels[session.Keys("").UUID()] })
}

// podUIDs maps each pod to its UID.
func podUIDs(t *testing.T, tc *testcluster.Cluster, ns string) map[string]string {
	t.Helper()
	return podField(t, tc, ns, func(p *corev1.Pod) string { return string(p.UID) })
}

// podField maps each pod of the session to field(pod).
func podField(t *testing.T, tc *testcluster.Cluster, ns string, field func(*corev1.Pod) string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, p := range e2eproc.Pods(t, tc, ns) {
		out[name] = field(p)
	}
	return out
}
