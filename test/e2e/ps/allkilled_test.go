package ps

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	authv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/health"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/rbac"
)

// TestAllKilledSession: a session whose every process was killed has no
// pod left, only its record: ps -A lists its Killed rows and status -A
// its line, and -n of it works (no "session not found").
func TestAllKilledSession(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-allk", 1)
	tc.Nodes(t, hosts...)
	ns := bootRecorded(t, tc, "ps-allk", hosts[0], "ru-01")
	plugin(t, tc, "kill", "-n", ns, "--timeout=60s")

	killed := func(table, session string) int {
		n := 0
		for _, l := range strings.Split(table, "\n") {
			f := strings.Fields(l)
			if len(f) > 5 && f[0] == session && f[4] == "Killed" && f[5] == "-1" {
				n++
			}
		}
		return n
	}
	if out := ps(t, tc, "-A"); killed(out, ns) != 2 {
		t.Errorf("ps -A: want root-controller and ru-01 of %s Killed -1:\n%s", ns, out)
	}
	out, errOut, code := tc.Plugin(t, "ps", "-n", ns)
	if code != 0 || strings.Contains(errOut, "not found") || rowOf(out, "ru-01") == nil || rowOf(out, "root-controller") == nil {
		t.Errorf("ps -n %s: exit %d\n%s%s", ns, code, out, errOut)
	}

	out, errOut, code = tc.Plugin(t, "status", "-A", "-o", "json")
	r := &health.Report{}
	if err := json.Unmarshal([]byte(out), r); code != 1 || err != nil {
		t.Fatalf("status -A: exit %d, %v\n%s", code, err, errOut)
	}
	var found *health.Session
	for i := range r.Sessions {
		if r.Sessions[i].Name == ns {
			found = &r.Sessions[i]
		}
	}
	if found == nil || found.Processes != 2 || found.Ready != 0 || len(found.Problems) != 2 {
		t.Errorf("status -A: session %s %+v", ns, found)
	}
	if out, errOut, code := tc.Plugin(t, "status", "-A"); code != 1 || !strings.Contains(out, ns) {
		t.Errorf("status -A (screen): exit %d, no line for %s\n%s%s", code, ns, out, errOut)
	}
	if out, errOut, code := tc.Plugin(t, "status", "-n", ns); code != 1 || strings.Contains(errOut, "not found") || !strings.Contains(out, "Killed") {
		t.Errorf("status -n %s: exit %d\n%s%s", ns, code, out, errOut)
	}
}

// TestWatchWithoutConfigMapList: a user whose role predates the listing of
// records (configmaps get, not list or watch) still gets ps's Killed rows
// (one read per session), and ps -w warns once and follows the pods.
func TestWatchWithoutConfigMapList(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-norec", 1)
	tc.Nodes(t, hosts...)
	ns := bootRecorded(t, tc, "ps-norec", hosts[0], "ru-01", "df-01")
	plugin(t, tc, "kill", "-n", ns, "^ru-01$", "--timeout=60s")
	user := testcluster.UserOperator
	grantWithoutList(t, tc, ns, user)

	out, errOut, code := tc.PluginAs(t, user, "ps", "-n", ns)
	if row := rowOf(out, "ru-01"); code != 0 || errOut != "" || len(row) < 5 || row[3] != "Killed" {
		t.Errorf("ps as %s: exit %d, ru-01 %q\n%s%s", user, code, row, out, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := startWatcher(t, tc, ctx, tc.UserKubeconfig(t, user), "-n", ns)
	expect(t, w.errs, 30*time.Second, "Warning: killed and lost processes are not shown, only pods", "not allowed to list configmaps")
	expect(t, w.out, 30*time.Second, "df-01", "Running")
	plugin(t, tc, "kill", "-n", ns, "^df-01$", "--timeout=60s")
	expect(t, w.out, 60*time.Second, "df-01", "Deleted")
	w.stop(t)
}

// grantWithoutList binds user in ns to the shipped rules with configmaps
// reduced to get, create and update, and waits until the apiserver
// applies them.
func grantWithoutList(t *testing.T, tc *testcluster.Cluster, ns, user string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rules := rbac.Rules()
	for i := range rules {
		if rules[i].Resources[0] == "configmaps" {
			rules[i].Verbs = []string{"get", "create", "update"}
		}
	}
	name := tc.UniqueName("e2e-ps-norec")
	rb := tc.Client.RbacV1()
	if _, err := rb.Roles(ns).Create(ctx, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Rules: rules}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		RoleRef:  rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name},
		Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	client := tc.UserClient(t, user)
	for {
		review, err := client.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, &authv1.SelfSubjectAccessReview{
			Spec: authv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authv1.ResourceAttributes{Verb: "get", Resource: "configmaps", Namespace: ns}}}, metav1.CreateOptions{})
		if err == nil && review.Status.Allowed {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("the grant of %s in %s not applied within a minute (%v)", user, ns, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
