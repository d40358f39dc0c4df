package lifecycle

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/rbac"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// small is a session with a connection server, a root controller and
// three applications.
var small = []proc{
	{"local-connection-server", "1", "gunicorn", 0},
	{"root-controller", "0", "drunc-controller", 0},
	{"ru-01", "0.0", "daq_application", 1},
	{"ru-02", "0.1", "daq_application", 1},
	{"df-01", "0.2", "daq_application", 2},
}

// recordSession boots procs and makes sure the session has a record: the
// one boot wrote, else one written here from the booted pods and services
// as boot would write it.
func recordSession(t *testing.T, tc *testcluster.Cluster, procs []proc) (string, *sessionrecord.Store) {
	t.Helper()
	ns := bootSession(t, tc, procs)
	st := sessionrecord.New(tc.Client, ns)
	ctx := context.Background()
	if h, err := st.ReadHeader(ctx); err != nil || h != nil {
		if err != nil {
			t.Fatal(err)
		}
		return ns, st
	}
	if _, err := st.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: ns + ".yaml"}, Processes: len(procs)}); err != nil {
		t.Fatal(err)
	}
	keys, svcs := session.Keys(""), services(t, tc, ns)
	var entries []sessionrecord.Entry
	for name, p := range pods(t, tc, ns) {
		v := process.FromPod(p, keys)
		r := &podspec.Rendered{Process: session.Process{Name: name, UUID: v.UUID, TreeID: p.Labels[keys.TreeID()], Host: v.Host}, Role: v.Role, Pod: lifecycle.StripPod(p)}
		if s := svcs[name]; s != nil {
			r.Service = lifecycle.StripService(s)
		}
		e, err := sessionrecord.NewEntry(r, nil, p.UID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := st.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	return ns, st
}

// grantShipped gives user, in ns only, the rules kubectl-drunc ships.
func grantShipped(t *testing.T, tc *testcluster.Cluster, ns, user string) {
	t.Helper()
	ctx := context.Background()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "kubectl-drunc", Namespace: ns}, Rules: rbac.Rules()}
	if _, err := tc.Client.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rb := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "kubectl-drunc", Namespace: ns},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "kubectl-drunc"},
		Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}}}
	if _, err := tc.Client.RbacV1().RoleBindings(ns).Create(ctx, rb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Nodes are cluster-wide: their rules through a ClusterRole of this test.
	var nodeRules []rbacv1.PolicyRule
	for _, r := range rbac.Rules() {
		if slices.Contains(r.Resources, "nodes") {
			nodeRules = append(nodeRules, r)
		}
	}
	name := "kubectl-drunc-nodes-" + ns
	if _, err := tc.Client.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: nodeRules}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	crb := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name},
		Subjects: rb.Subjects}
	if _, err := tc.Client.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = tc.Client.RbacV1().ClusterRoleBindings().Delete(context.Background(), name, metav1.DeleteOptions{})
		_ = tc.Client.RbacV1().ClusterRoles().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	for i := 0; i < 40; i++ { // RBAC reaches the authorizer within a moment
		if _, _, code := tc.PluginAs(t, user, "ps", "-n", ns); code == 0 {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s still may not use kubectl drunc in %s", user, ns)
}

func entryOf(t *testing.T, st *sessionrecord.Store, name string) *sessionrecord.Entry {
	t.Helper()
	rec, err := st.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if e := rec.Entry(name); e != nil {
		return e
	}
	t.Fatalf("%s is not in the record", name)
	return nil
}

// TestKillRestartFlushFromRecord, from a second user with the shipped
// rules: kill keeps the record (Killed, -1), status says so, restart
// brings the process back Ready with its uuid, flush forgets a killed
// process, and a pod deleted with plain kubectl is Lost.
func TestKillRestartFlushFromRecord(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, st := recordSession(t, tc, small)
	grantShipped(t, tc, ns, testcluster.UserOperator)
	run := func(args ...string) (string, string, int) { return tc.PluginAs(t, testcluster.UserOperator, args...) }
	uuid := pods(t, tc, ns)["ru-01"].Labels[session.Keys("").UUID()]

	if _, stderr, code := run("kill", "-n", ns, "^ru-01$", "--force"); code != 0 || strings.Contains(stderr, "Warning") {
		t.Fatalf("kill exited %d:\n%s", code, stderr)
	}
	if e := entryOf(t, st, "ru-01"); e.State != sessionrecord.StateKilled || e.ExitCode == nil || *e.ExitCode != sessionrecord.NoExit {
		t.Fatalf("ru-01 after kill: %+v, want Killed, exit -1", e)
	}
	out, _, code := run("status", "-n", ns)
	if row := rowOf(out, "ru-01"); code != 1 || len(row) < 5 || row[3] != "Killed" || row[4] != "-1" {
		t.Errorf("status after kill (exit %d) must show ru-01 Killed, exit -1 (as ps does):\n%s", code, out)
	}
	if out, errOut, code := run("describe", "-n", ns, "^ru-01$"); code != 0 || !strings.Contains(out, "Killed (no pod: kubectl drunc kill deleted it") ||
		!regexp.MustCompile(`Exit Code: +-1\n`).MatchString(out) || !strings.Contains(out, uuid) {
		t.Errorf("describe after kill (exit %d) must describe ru-01 from the record, Killed, exit -1, uuid %s:\n%s%s", code, uuid, out, errOut)
	}
	psOut, _, _ := run("ps", "-n", ns)
	if row := rowOf(psOut, "ru-01"); len(row) < 5 || row[3] != "Killed" || row[4] != "-1" {
		t.Errorf("ps after kill must show ru-01 Killed, exit -1:\n%s", psOut)
	}
	// wait sees the killed process as ps does: the session is not ready, at
	// once; ru-01 is dead and deleted already; --allow-dead waits for the
	// restart below.
	if _, errOut, code := run("wait", "-n", ns, "--for=ready", "--timeout=60s"); code != 2 || !strings.Contains(errOut, ns+"/ru-01: Killed; exit code -1") {
		t.Errorf("wait --for=ready after the kill: exit %d, want 2 naming ru-01 Killed:\n%s", code, errOut)
	}
	for _, cond := range []string{"dead", "deleted", "exit=-1"} {
		if out, errOut, code := run("wait", "-n", ns, "^ru-01$", "--for="+cond, "--timeout=60s"); code != 0 || !strings.Contains(out, ns+"/ru-01 condition met") {
			t.Errorf("wait ru-01 --for=%s after the kill: exit %d, want 0:\n%s%s", cond, code, out, errOut)
		}
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer wcancel()
	waitBack := tc.PluginCommandAs(t, wctx, tc.UserKubeconfig(t, testcluster.UserOperator), "wait", "-n", ns, "^ru-01$", "--for=ready", "--allow-dead", "--timeout=150s")
	var waitOut strings.Builder
	waitBack.Stdout, waitBack.Stderr = &waitOut, &waitOut
	if err := waitBack.Start(); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run("restart", "-n", ns, "^ru-01$", "--timeout=90s"); code != 0 || !strings.Contains(stderr, "recreated from its session record") {
		t.Fatalf("restart of the killed ru-01 exited %d:\n%s", code, stderr)
	}
	if err := waitBack.Wait(); err != nil || !strings.Contains(waitOut.String(), ns+"/ru-01 condition met (ready)") {
		t.Errorf("wait --for=ready --allow-dead on the killed ru-01 did not end with its restart (%v):\n%s", err, waitOut.String())
	}
	p := pods(t, tc, ns)["ru-01"]
	if p == nil || p.Labels[session.Keys("").UUID()] != uuid {
		t.Fatalf("ru-01 did not come back with uuid %s: %+v", uuid, p)
	}
	if e := entryOf(t, st, "ru-01"); e.State != sessionrecord.StateBooted || e.PodUID != p.UID {
		t.Errorf("ru-01 after restart: %s %s, want Booted with pod %s", e.State, e.PodUID, p.UID)
	}
	if out, _, code := run("status", "-n", ns); code != 0 {
		t.Errorf("status after restart (exit %d): every process must be Ready:\n%s", code, out)
	}

	if _, stderr, code := run("kill", "-n", ns, "^ru-02$", "--force"); code != 0 {
		t.Fatalf("kill ru-02 exited %d:\n%s", code, stderr)
	}
	out, stderr, code := run("flush", "-n", ns, "^ru-02$")
	if code != 0 || !strings.Contains(out, "ru-02") || !strings.Contains(out, "Flushed") {
		t.Fatalf("flush of the killed ru-02 exited %d:\n%s\n%s", code, out, stderr)
	}
	if strings.Contains(out, "<unknown>") {
		t.Errorf("flush shows the killed ru-02 without its AGE (ps counts it from its boot):\n%s", out)
	}
	if e := entryOf(t, st, "ru-02"); e.State != sessionrecord.StateFlushed {
		t.Errorf("ru-02 after flush: %s, want Flushed", e.State)
	}
	if out, _, code := run("status", "-n", ns, "ru-02"); code == 0 || strings.Contains(out, "Killed") {
		t.Errorf("status must no longer show the flushed ru-02 (exit %d):\n%s", code, out)
	}

	if err := tc.Client.CoreV1().Pods(ns).Delete(context.Background(), "df-01", metav1.DeleteOptions{GracePeriodSeconds: new(int64)}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, tc, ns, "df-01")
	if out, _, code := run("status", "-n", ns); code != 1 || !strings.Contains(out, "Lost") {
		t.Errorf("status must show df-01 Lost (exit %d):\n%s", code, out)
	}
	if e := entryOf(t, st, "df-01"); e.State != sessionrecord.StateBooted {
		t.Errorf("a pod deleted without kubectl drunc must not be recorded as %s", e.State)
	}
}

// rowOf is the fields of a process's row in a ps or status table.
func rowOf(table, name string) []string {
	for _, l := range strings.Split(table, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == name {
			return f
		}
	}
	return nil
}

func waitGone(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if pods(t, tc, ns)[name] == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s/%s still there", ns, name)
}

// TestRecordAgreesAfterConcurrentOps: two clients run 20 kills, restarts
// and flushes at once on one session; the record then agrees with the
// cluster: every pod is the one the record names, and every recorded
// process without a pod is recorded Killed or Flushed, none Lost.
func TestRecordAgreesAfterConcurrentOps(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, st := recordSession(t, tc, small)
	grantShipped(t, tc, ns, testcluster.UserOperator)
	verbs := [][]string{
		{"kill", "-n", ns, "^ru-0[12]$", "--force"},
		{"restart", "-n", ns, "^ru-0[12]$", "--wait=false", "--force"},
		{"flush", "-n", ns, "^ru-0[12]$"},
		{"restart", "-n", ns, "^df-01$", "--wait=false", "--force"},
		{"kill", "-n", ns, "^df-01$", "--force"},
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := verbs[i%len(verbs)]
			if i%2 == 0 {
				tc.Plugin(t, args...)
			} else {
				tc.PluginAs(t, testcluster.UserOperator, args...)
			}
		}()
	}
	wg.Wait()
	time.Sleep(2 * time.Second) // the last deletions reach the API
	rec, err := st.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	live := pods(t, tc, ns)
	var bad []string
	for _, r := range sessionrecord.Reconcile(rec, podList(live), session.Keys("")) {
		switch {
		case r.Class == sessionrecord.ClassLost, r.Class == sessionrecord.ClassReplaced, r.Class == sessionrecord.ClassExtra:
			bad = append(bad, fmt.Sprintf("%s: %s", r.Name, r.Class))
		case r.Class == sessionrecord.ClassRunning && r.Pod.DeletionTimestamp == nil && r.Entry.PodUID != r.Pod.UID:
			bad = append(bad, fmt.Sprintf("%s: runs as pod %s, recorded %s (%s)", r.Name, r.Pod.UID, r.Entry.PodUID, r.Entry.State))
		case r.Class == sessionrecord.ClassRunning && r.Pod.DeletionTimestamp == nil && r.Entry.State != sessionrecord.StateBooted:
			bad = append(bad, fmt.Sprintf("%s: runs, recorded %s", r.Name, r.Entry.State))
		}
	}
	if len(bad) > 0 {
		t.Errorf("record and cluster disagree after concurrent operations:\n%s", strings.Join(bad, "\n"))
	}
}

func podList(m map[string]*corev1.Pod) []*corev1.Pod {
	out := make([]*corev1.Pod, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	return out
}
