package rbac

import (
	"strings"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
)

func TestObjects(t *testing.T) {
	objs, err := Objects(Grant{Users: []string{"alice"}, ServiceAccounts: []string{"ci:runner"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("got %d objects, want ClusterRole + ClusterRoleBinding", len(objs))
	}
	b := objs[1].(*rbacv1.ClusterRoleBinding)
	if b.Name != "kubectl-drunc:user:alice" || b.RoleRef.Name != RoleName || len(b.Subjects) != 2 {
		t.Errorf("binding = %+v", b)
	}
	if s := b.Subjects[1]; s.Kind != "ServiceAccount" || s.Namespace != "ci" || s.Name != "runner" {
		t.Errorf("service account subject = %+v", s)
	}

	objs, err = Objects(Grant{Users: []string{"bob"}, Namespace: "run42"})
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{}
	for _, o := range objs {
		kinds = append(kinds, o.GetObjectKind().GroupVersionKind().Kind)
	}
	if got := strings.Join(kinds, ","); got != "ClusterRole,ClusterRole,RoleBinding,ClusterRoleBinding" {
		t.Errorf("namespace-scoped kinds = %s", got)
	}
	if rb := objs[2].(*rbacv1.RoleBinding); rb.Namespace != "run42" {
		t.Errorf("RoleBinding in %q, want run42", rb.Namespace)
	}

	if _, err := Objects(Grant{ServiceAccounts: []string{"runner"}}); err == nil || !strings.Contains(err.Error(), "NAMESPACE:NAME") {
		t.Errorf("a service account without namespace: err = %v", err)
	}
}
