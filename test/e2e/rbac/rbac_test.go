// Package rbac proves that the role `kubectl drunc rbac` prints is enough to
// run the verbs, as a token user holding nothing else, and that a user
// without it is told which permission is missing and how to get it.
package rbac

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// grant applies what `kubectl drunc rbac --user USER [extra...]` prints, as
// an admin would, and waits until the apiserver's authorizer knows it.
func grant(t *testing.T, tc *testcluster.Cluster, user string, extra ...string) {
	t.Helper()
	apply(t, tc, append([]string{"--user", user}, extra...)...)
	waitAllowed(t, tc, user, "list", "nodes", "")
}

// apply creates what `kubectl drunc rbac ARGS...` prints, as an admin would
// with kubectl apply (bindings renamed per test); cluster-wide bindings are
// deleted with the test.
func apply(t *testing.T, tc *testcluster.Cluster, args ...string) {
	t.Helper()
	out, stderr, code := tc.Plugin(t, append([]string{"rbac"}, args...)...)
	if code != 0 {
		t.Fatalf("kubectl drunc rbac %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dec := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(out)))
	for {
		doc, err := dec.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		obj, _, err := scheme.Codecs.UniversalDeserializer().Decode(doc, nil, nil)
		if err != nil {
			t.Fatalf("rbac output does not decode: %v\n%s", err, doc)
		}
		rbacAPI := tc.Client.RbacV1()
		switch o := obj.(type) {
		case *rbacv1.ClusterRole:
			// The shipped role is shared by every test: create or refresh it.
			_, err := rbacAPI.ClusterRoles().Create(ctx, o, metav1.CreateOptions{})
			if apierrors.IsAlreadyExists(err) {
				cur, gerr := rbacAPI.ClusterRoles().Get(ctx, o.Name, metav1.GetOptions{})
				if gerr != nil {
					t.Fatal(gerr)
				}
				cur.Rules = o.Rules
				_, err = rbacAPI.ClusterRoles().Update(ctx, cur, metav1.UpdateOptions{})
			}
			if err != nil {
				t.Fatal(err)
			}
		case *rbacv1.ClusterRoleBinding:
			// A name of this test's own: parallel runs against one cluster
			// must not delete each other's bindings.
			o.Name += ":" + tc.UniqueName("test")
			if _, err := rbacAPI.ClusterRoleBindings().Create(ctx, o, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
				t.Fatal(err)
			}
			name := o.Name
			t.Cleanup(func() {
				_ = tc.Client.RbacV1().ClusterRoleBindings().Delete(context.Background(), name, metav1.DeleteOptions{})
			})
		case *rbacv1.RoleBinding:
			o.Name += ":" + tc.UniqueName("test")
			if _, err := rbacAPI.RoleBindings(o.Namespace).Create(ctx, o, metav1.CreateOptions{}); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("unexpected object in rbac output: %T", obj)
		}
	}
}

// waitAllowed polls (bounded) until the authorizer's cache has the binding.
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
	t.Fatalf("%s is still not allowed to %s %s after the binding", user, verb, resource)
}

// druncSession makes a namespace with drunc's creator label and a few drunc pods
// (as the Python process manager would have left them), as the admin.
func druncSession(t *testing.T, tc *testcluster.Cluster, names ...string) string {
	t.Helper()
	keys := session.Keys("")
	ns := tc.Namespace(t, "rbac")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, n := range names {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: n, Labels: map[string]string{keys.Creator(): session.CreatorValue, session.AppLabel: n}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "p", Image: "busybox"}}},
		}
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	return ns
}

// TestVerbsWorkWithTheShippedRole runs the verbs as drunc-tester, who holds
// only the kubectl-drunc role.
func TestVerbsWorkWithTheShippedRole(t *testing.T) {
	tc := testcluster.Get(t)
	grant(t, tc, testcluster.UserTester)
	ns := druncSession(t, tc, "root-controller", "ru-01")

	for _, args := range [][]string{{"ps", "-n", ns}, {"ps", "-A"}} {
		out, stderr, code := tc.PluginAs(t, testcluster.UserTester, args...)
		if code != 0 {
			t.Errorf("kubectl drunc %s as %s: exit %d\n%s", strings.Join(args, " "), testcluster.UserTester, code, stderr)
			continue
		}
		for _, name := range []string{"root-controller", "ru-01"} {
			if !strings.Contains(out, name) {
				t.Errorf("kubectl drunc %s as %s does not list %s:\n%s", strings.Join(args, " "), testcluster.UserTester, name, out)
			}
		}
	}
}

// TestMissingRoleIsExplained: drunc-nobody holds no role; the error names
// the verb, the resource and where, and how to get the role, without the
// apiserver's text.
func TestMissingRoleIsExplained(t *testing.T) {
	tc := testcluster.Get(t)
	ns := druncSession(t, tc, "ru-01")
	user := testcluster.UserNobody
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"ps", "-n", ns}, `not allowed to list pods in namespace "` + ns + `"`},
		{[]string{"ps", "-A"}, "not allowed to list pods cluster-wide"},
	}
	for _, c := range cases {
		out, stderr, code := tc.PluginAs(t, user, c.args...)
		cmd := "kubectl drunc " + strings.Join(c.args, " ")
		if code == 0 {
			t.Errorf("%s as %s succeeded:\n%s", cmd, user, out)
			continue
		}
		for _, want := range []string{c.want, "kubectl drunc rbac --user " + user} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s as %s: stderr lacks %q:\n%s", cmd, user, want, stderr)
			}
		}
		if strings.Contains(stderr, "is forbidden: User") || strings.Count(stderr, "\n") > 1 {
			t.Errorf("%s as %s: want one explained line, got:\n%s", cmd, user, stderr)
		}
	}
}

// TestNamespaceScopedRole: `rbac --namespace-scoped -n NS` lets drunc-operator
// work in that session only.
func TestNamespaceScopedRole(t *testing.T) {
	tc := testcluster.Get(t)
	user := testcluster.UserOperator
	ns := druncSession(t, tc, "ru-01")
	other := druncSession(t, tc, "ru-02")
	grant(t, tc, user, "--namespace-scoped", "-n", ns)
	waitAllowed(t, tc, user, "watch", "pods", ns)

	out, stderr, code := tc.PluginAs(t, user, "ps", "-n", ns)
	if code != 0 || !strings.Contains(out, "ru-01") {
		t.Errorf("ps -n %s as %s: exit %d\n%s%s", ns, user, code, out, stderr)
	}
	_, stderr, code = tc.PluginAs(t, user, "ps", "-n", other)
	if code == 0 || !strings.Contains(stderr, `not allowed to list pods in namespace "`+other+`"`) {
		t.Errorf("ps -n %s (not granted) as %s: exit %d\n%s", other, user, code, stderr)
	}
}
