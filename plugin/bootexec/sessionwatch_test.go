package bootexec

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// TestSessionGoesUnderANamespaceScopedGrant: a user who may not list
// namespaces (a namespace-scoped grant) still has the run stopped when
// the session is deleted: the namespace is read instead of watched, and
// no watch is tried (it would fail and retry for the whole run).
func TestSessionGoesUnderANamespaceScopedGrant(t *testing.T) {
	defer func(d time.Duration) { sessionPoll = d }(sessionPoll)
	sessionPoll = 10 * time.Millisecond
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run1"}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	client := fake.NewClientset(ns)
	forbidNamespaceList(client)
	b := &booter{cfg: Config{Client: client}, ns: "run1"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	gone := make(chan bool, 1)
	go func() { gone <- b.sessionGoes(ctx) }()
	time.Sleep(50 * time.Millisecond)
	if err := client.CoreV1().Namespaces().Delete(ctx, "run1", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !<-gone {
		t.Fatal("sessionGoes did not see the session go")
	}
	for _, a := range client.Actions() {
		if a.GetVerb() == "watch" {
			t.Errorf("a watch of namespaces was tried under a grant that cannot list them")
		}
	}
}
