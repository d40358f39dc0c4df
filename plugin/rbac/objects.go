package rbac

import (
	"fmt"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Grant says whom to bind and how widely.
type Grant struct {
	Users           []string
	Groups          []string
	ServiceAccounts []string // "namespace:name"
	// Namespace, when set, limits the grant to that session: a RoleBinding
	// there, plus read access to nodes cluster-wide.
	Namespace string
}

var labels = map[string]string{"app.kubernetes.io/name": "kubectl-drunc"}

// ClusterRole is the role of deploy/rbac.yaml.
func ClusterRole() *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
		ObjectMeta: metav1.ObjectMeta{Name: RoleName, Labels: labels},
		Rules:      Rules(),
	}
}

// Subjects parses the grant's subjects.
func (g Grant) Subjects() ([]rbacv1.Subject, error) {
	var out []rbacv1.Subject
	for _, u := range g.Users {
		out = append(out, rbacv1.Subject{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: u})
	}
	for _, gr := range g.Groups {
		out = append(out, rbacv1.Subject{Kind: rbacv1.GroupKind, APIGroup: rbacv1.GroupName, Name: gr})
	}
	for _, sa := range g.ServiceAccounts {
		ns, name, ok := strings.Cut(sa, ":")
		if !ok || ns == "" || name == "" {
			return nil, fmt.Errorf("--serviceaccount %q: want NAMESPACE:NAME, e.g. ci:drunc-runner", sa)
		}
		out = append(out, rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Namespace: ns, Name: name})
	}
	return out, nil
}

// Objects returns the role(s) and, when the grant names subjects, the
// binding(s), in the order `kubectl apply` should create them.
func Objects(g Grant) ([]runtime.Object, error) {
	subjects, err := g.Subjects()
	if err != nil {
		return nil, err
	}
	objs := []runtime.Object{ClusterRole()}
	if g.Namespace != "" {
		objs = append(objs, &rbacv1.ClusterRole{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
			ObjectMeta: metav1.ObjectMeta{Name: NodesRoleName, Labels: labels},
			Rules:      NodeRules(),
		})
	}
	if len(subjects) == 0 {
		return objs, nil
	}
	name := RoleName + ":" + bindingSuffix(subjects[0])
	if g.Namespace == "" {
		return append(objs, clusterBinding(name, RoleName, subjects)), nil
	}
	return append(objs,
		&rbacv1.RoleBinding{
			TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "RoleBinding"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: g.Namespace, Labels: labels},
			RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: RoleName},
			Subjects:   subjects,
		},
		clusterBinding(NodesRoleName+":"+bindingSuffix(subjects[0]), NodesRoleName, subjects),
	), nil
}

func clusterBinding(name, role string, subjects []rbacv1.Subject) *rbacv1.ClusterRoleBinding {
	return &rbacv1.ClusterRoleBinding{
		TypeMeta:   metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   subjects,
	}
}

// bindingSuffix names a binding after its first subject, so bindings for
// different people do not overwrite each other.
func bindingSuffix(s rbacv1.Subject) string {
	switch s.Kind {
	case rbacv1.ServiceAccountKind:
		return "sa:" + s.Namespace + ":" + s.Name
	case rbacv1.GroupKind:
		return "group:" + s.Name
	}
	return "user:" + s.Name
}
