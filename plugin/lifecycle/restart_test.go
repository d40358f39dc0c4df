package lifecycle

import (
	"context"
	"errors"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// failFirst makes the first create of resource fail with err, as an
// apiserver that is briefly away does.
func failFirst(resource string, err error) k8stesting.ReactionFunc {
	failed := false
	return func(a k8stesting.Action) (bool, runtime.Object, error) {
		if failed || a.GetResource().Resource != resource {
			return false, nil, nil
		}
		failed = true
		return true, nil, err
	}
}

// TestRestartRetriesTransientErrors: restart creates through plugin/procreate,
// so a pod or service create that fails because the API is briefly away is
// tried again instead of leaving the process killed, and every object is
// written under kubectl-drunc's field manager.
func TestRestartRetriesTransientErrors(t *testing.T) {
	p := pod("s", "df-01", "0.1", session.RoleApplication)
	p.Spec.Containers = []corev1.Container{{Name: "df-01", Image: "x"}}
	c, cache := fakeSession(t, p)
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "df-01", Labels: p.Labels,
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: "df-01", UID: "df-01-uid"}}},
		Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone, Selector: map[string]string{session.AppLabel: "df-01"}}}
	if _, err := c.CoreV1().Services("s").Create(context.Background(), svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.PrependReactor("create", "pods", failFirst("pods", apierrors.NewServiceUnavailable("etcd is restarting")))
	c.PrependReactor("create", "services", failFirst("services", apierrors.NewTimeoutError("the server was too slow", 1)))

	setup := len(c.Actions())
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second}, cache.Pods(),
		RestartOptions{Wait: false})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("a transient error made the restart fail: %v", err)
	}
	if _, err := c.CoreV1().Pods("s").Get(context.Background(), "df-01", metav1.GetOptions{}); err != nil {
		t.Fatalf("df-01 not recreated: %v", err)
	}
	if _, err := c.CoreV1().Services("s").Get(context.Background(), "df-01", metav1.GetOptions{}); err != nil {
		t.Fatalf("the service of df-01 not recreated: %v", err)
	}
	creates := 0
	for _, a := range c.Actions()[setup:] {
		if ca, ok := a.(k8stesting.CreateActionImpl); ok && a.GetVerb() == "create" {
			creates++
			if fm := ca.GetCreateOptions().FieldManager; fm != procreate.FieldManager {
				t.Errorf("create of %s with field manager %q, want %q", a.GetResource().Resource, fm, procreate.FieldManager)
			}
		}
	}
	// 2 pod creates (one failed) + 2 service creates (one failed).
	if creates != 4 {
		t.Errorf("%d creates, want 4 (each failed create tried once more)", creates)
	}
}

// TestRestartUndoesPodWhoseServiceIsRefused: as boot, a recreated pod whose
// service the API refuses is deleted again, and the error says so.
func TestRestartUndoesPodWhoseServiceIsRefused(t *testing.T) {
	p := pod("s", "df-01", "0.1", session.RoleApplication)
	c, cache := fakeSession(t, p)
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "df-01", Labels: p.Labels,
		OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: "df-01", UID: "df-01-uid"}}}}
	if _, err := c.CoreV1().Services("s").Create(context.Background(), svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c.PrependReactor("create", "services", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "services"}, "df-01", errTest)
	})
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second}, cache.Pods(), RestartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Err() == nil || res.Recreated[0].Pod != nil {
		t.Fatalf("a refused service was not reported: %+v", res.Recreated)
	}
	if _, err := c.CoreV1().Pods("s").Get(context.Background(), "df-01", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("the pod whose service was refused is still there: %v", err)
	}
}

var errTest = errors.New("refused by the test")
