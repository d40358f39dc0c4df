package testcluster

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestLabel marks every object the harness creates.
const TestLabel = "drunc.test/e2e"

// Namespace creates a namespace named UniqueName(prefix), waits for its
// default ServiceAccount (pods are rejected until it exists) and deletes it
// when the test ends, without waiting for the deletion to finish (it takes
// 5-10 s). Set DRUNC_TEST_KEEP=1 to keep the namespaces of failed tests.
func (c *Cluster) Namespace(t testing.TB, prefix string) string {
	t.Helper()
	name := c.UniqueName(prefix)
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{TestLabel: "true"}}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating test namespace %s: %v", name, err)
	}
	t.Cleanup(func() { c.deleteNamespace(t, name) })
	c.WaitServiceAccount(t, name)
	return name
}

func (c *Cluster) deleteNamespace(t testing.TB, name string) {
	if t.Failed() && keep() {
		t.Logf("keeping namespace %s of the failed test (DRUNC_TEST_KEEP=1)", name)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bg := metav1.DeletePropagationBackground
	err := c.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &bg})
	if err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("deleting test namespace %s: %v", name, err)
	}
}

// WaitServiceAccount waits (up to 60 s) until the controller-manager has
// made the namespace's default ServiceAccount; pods are rejected before.
// Use it for namespaces the plugin creates.
func (c *Cluster) WaitServiceAccount(t testing.TB, namespace string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.Client.CoreV1().ServiceAccounts(namespace).Get(ctx, "default", metav1.GetOptions{})
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no default ServiceAccount in namespace %s after 60s (is kube-controller-manager running? see %s/logs/controller-manager.log): %v", namespace, c.StateDir, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// DeleteNamespaceLater deletes, when the test ends, a namespace the test
// did not make with Namespace (a session the plugin created), as Namespace
// does its own: without waiting, and kept on failure with DRUNC_TEST_KEEP=1.
func (c *Cluster) DeleteNamespaceLater(t testing.TB, name string) {
	t.Cleanup(func() { c.deleteNamespace(t, name) })
}

// WaitNamespaceGone waits (up to 60 s: deleting a namespace takes 5-10 s
// here, longer when the machine is busy) until the namespace is gone.
func (c *Cluster) WaitNamespaceGone(t testing.TB, name string) {
	t.Helper()
	Eventually(t, 60*time.Second, "namespace "+name+" gone", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ns, err := c.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			return true, ""
		case err != nil:
			return false, err.Error()
		}
		return false, "phase " + string(ns.Status.Phase)
	})
}
