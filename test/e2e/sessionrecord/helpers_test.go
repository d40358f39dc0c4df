// Package sessionrecord proves the session record on the real control
// plane: its writes under concurrency, its reads, and its reconciliation
// with live pods.
package sessionrecord

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/google/uuid"

	"github.com/kubectl-drunc/kubectl-drunc/internal/dunesession"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/rbac"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// grantShippedRules gives user, in namespace ns only, exactly the rules
// kubectl-drunc ships (as a Role, so the shared ClusterRole is untouched).
func grantShippedRules(t *testing.T, tc *testcluster.Cluster, ns, user string) {
	t.Helper()
	ctx := context.Background()
	role := &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "kubectl-drunc", Namespace: ns}, Rules: rbac.Rules()}
	if _, err := tc.Client.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "kubectl-drunc", Namespace: ns},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: "kubectl-drunc"},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}
	if _, err := tc.Client.RbacV1().RoleBindings(ns).Create(ctx, rb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitAllowed(t, tc, user, "update", "configmaps", ns)
}

// grantNodeRules lets user read nodes (boot checks its hosts), the
// cluster-wide part of a namespace-scoped grant (rbac.NodeRules), through
// a ClusterRole and binding of this test, deleted with it.
func grantNodeRules(t *testing.T, tc *testcluster.Cluster, user string) {
	t.Helper()
	ctx := context.Background()
	name := tc.UniqueName("kubectl-drunc-nodes")
	role := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: rbac.NodeRules()}
	if _, err := tc.Client.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}
	if _, err := tc.Client.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = tc.Client.RbacV1().ClusterRoleBindings().Delete(context.Background(), name, metav1.DeleteOptions{})
		_ = tc.Client.RbacV1().ClusterRoles().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	waitAllowed(t, tc, user, "list", "nodes", "")
}

// waitAllowed waits (10 s at most) until the authorizer lets user do verb
// on resource in namespace ("": cluster-wide): bindings reach it a moment
// after they are made.
func waitAllowed(t *testing.T, tc *testcluster.Cluster, user, verb, resource, namespace string) {
	t.Helper()
	client := tc.UserClient(t, user)
	for i := 0; i < 40; i++ {
		r, err := client.AuthorizationV1().SelfSubjectAccessReviews().Create(context.Background(), &authorizationv1.SelfSubjectAccessReview{
			Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: verb, Resource: resource, Namespace: namespace}},
		}, metav1.CreateOptions{})
		if err == nil && r.Status.Allowed {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s still may not %s %s in %q", user, verb, resource, namespace)
}

// countingClient is a clientset for cfg that counts the API's 409
// Conflict answers, to prove the retries were exercised.
func countingClient(t *testing.T, cfg *rest.Config, conflicts *atomic.Int32) kubernetes.Interface {
	t.Helper()
	cfg = rest.CopyConfig(cfg)
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if err == nil && resp.StatusCode == http.StatusConflict {
				conflicts.Add(1)
			}
			return resp, err
		})
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// rendered renders a DUNE-like session of n processes into namespace ns.
func rendered(t *testing.T, ns string, n int) *podspec.Objects {
	t.Helper()
	s, st, err := dunesession.Session(ns, n)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := podspec.Render(s, st, podspec.Options{UUID: uuid.NewString})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// entries are the record entries of objs, as if each pod got UID
// "<name>-0".
func entries(t *testing.T, objs *podspec.Objects) []sessionrecord.Entry {
	t.Helper()
	out := make([]sessionrecord.Entry, len(objs.Processes))
	for i := range objs.Processes {
		r := &objs.Processes[i]
		e, err := sessionrecord.NewEntry(r, nil, types.UID(r.Process.Name+"-0"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = e
	}
	return out
}
