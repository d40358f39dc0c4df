package nswatch

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	// As in the plugin, reflectors list instead of streaming the list,
	// which the fake clientset cannot serve.
	_ "github.com/kubectl-drunc/kubectl-drunc/informers"
)

func TestUntilSeesTheNamespaceGo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := fake.NewClientset(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run42", UID: "u1"}})
	var seen []bool
	err := Until(ctx, client, "run42", func(ns *corev1.Namespace) bool {
		seen = append(seen, ns == nil)
		if len(seen) == 1 && ns != nil {
			// Deleted once seen, so the deletion comes by the watch.
			go func() { _ = client.CoreV1().Namespaces().Delete(ctx, "run42", metav1.DeleteOptions{}) }()
		}
		return ns == nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The namespace at sync (and as the informer's first event), then
	// its deletion, which ends the wait.
	if len(seen) < 2 || seen[0] || !seen[len(seen)-1] {
		t.Errorf("done saw (nil?) %v; want the namespace, then its deletion", seen)
	}
}

func TestUntilEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	client := fake.NewClientset(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run42"}})
	if err := Until(ctx, client, "run42", func(ns *corev1.Namespace) bool { return ns == nil }); err == nil {
		t.Error("Until returned nil for a namespace that stays")
	}
}
