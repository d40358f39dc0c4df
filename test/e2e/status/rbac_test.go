package status

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

// TestShippedRulesSuffice: a user holding only the shipped rules in one
// session (rbac.Rules there, rbac.NodeRules cluster-wide, under names of
// this test so that no shared role changes) gets the full status, hosts
// included, and the events.
func TestShippedRulesSuffice(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	user := testcluster.UserOperator
	hosts := testcluster.NodeNames("st-rbac", 1)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "status-rbac")
	create(t, tc, ns, hosts, procs[:2])
	grantRules(t, tc, ns, user)
	statusUntil(t, tc, ns, func(r *health.Report) bool { return r.Healthy })
	tc.ExitPod(t, ns, "ru-01", 3)

	out, errOut, code := tc.PluginAs(t, user, "status", "-n", ns, "-o", "json")
	r := &health.Report{}
	if code != 1 || json.Unmarshal([]byte(out), r) != nil {
		t.Fatalf("status as %s: exit %d, want 1\n%s%s", user, code, out, errOut)
	}
	if !r.HostsChecked || strings.Contains(errOut, "Warning") || problemNames(r) != "ru-01" {
		t.Errorf("status as %s: hosts checked %v, problems %q\n%s", user, r.HostsChecked, problemNames(r), errOut)
	}
	out, errOut, code = tc.PluginAs(t, user, "events", "-n", ns, "--types", "Warning")
	if code != 0 || !strings.Contains(out, "ru-01") || errOut != "" {
		t.Errorf("events as %s: exit %d\n%s%s", user, code, out, errOut)
	}
}

// grantRules binds the user to the shipped rules in ns (and to the node
// rules cluster-wide) and waits until the apiserver applies them.
func grantRules(t *testing.T, tc *testcluster.Cluster, ns, user string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rb := tc.Client.RbacV1()
	name := tc.UniqueName("e2e-status-rbac")
	subjects := []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}}
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Rules: rbac.Rules()}
	nodes := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: rbac.NodeRules()}
	if _, err := rb.Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: name}, Subjects: subjects}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.ClusterRoles().Create(ctx, nodes, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := rb.ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name}, Subjects: subjects}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = rb.ClusterRoleBindings().Delete(ctx, name, metav1.DeleteOptions{})
		_ = rb.ClusterRoles().Delete(ctx, name, metav1.DeleteOptions{})
	})
	for _, a := range []authv1.ResourceAttributes{{Verb: "watch", Resource: "nodes"}, {Verb: "watch", Resource: "events", Namespace: ns}} {
		for {
			sar := &authv1.SubjectAccessReview{Spec: authv1.SubjectAccessReviewSpec{User: user, ResourceAttributes: &a}}
			res, err := tc.Client.AuthorizationV1().SubjectAccessReviews().Create(ctx, sar, metav1.CreateOptions{})
			if err == nil && res.Status.Allowed {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("%s %s not allowed to %s after a minute: %v", a.Verb, a.Resource, user, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
