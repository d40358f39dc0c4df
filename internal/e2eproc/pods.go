// Package e2eproc holds what integration tests share to put drunc processes
// on the test cluster without going through boot: rendered pods created
// directly, waited for, deleted, and their kwok-served logs.
package e2eproc

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// RenderApps renders applications with these names on node, as boot would
// (labels, boot record, container named after the process).
func RenderApps(t *testing.T, ns, node string, names ...string) map[string]*corev1.Pod {
	t.Helper()
	s := &session.Session{Name: ns, User: "alice"}
	for i, n := range names {
		s.Processes = append(s.Processes, session.Process{
			Name: n, Host: node, TreeID: fmt.Sprintf("0.%d", i+1),
			Executables: []session.Executable{{Exec: "daq_application", Args: []string{"--name", n}}},
		})
	}
	objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*corev1.Pod{}
	for _, r := range objs.Processes {
		out[r.Process.Name] = r.Pod
	}
	return out
}

// CreateRunning creates the pod and waits (60 s at most: kwok may be busy with other tests' pods) until it runs.
func CreateRunning(t *testing.T, tc *testcluster.Cluster, pod *corev1.Pod) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(pod.Namespace).Create(ctx, pod.DeepCopy(), metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating pod %s/%s: %v", pod.Namespace, pod.Name, err)
	}
	for {
		p, err := tc.Client.CoreV1().Pods(pod.Namespace).Get(ctx, pod.Name, metav1.GetOptions{})
		if err == nil && p.Status.Phase == corev1.PodRunning {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("pod %s/%s not Running within 60s", pod.Namespace, pod.Name)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// DeleteGone deletes the pod at once and waits (60 s at most) until it is gone.
func DeleteGone(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	DeleteAllGone(t, tc, ns, name)
}

// DeleteAllGone deletes the pods at once, as a lost node would (no grace
// period, all before waiting), and waits (60 s at most) until they are gone.
func DeleteAllGone(t *testing.T, tc *testcluster.Cluster, ns string, names ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	zero := int64(0)
	for _, name := range names {
		if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
			t.Fatalf("deleting pod %s/%s: %v", ns, name, err)
		}
	}
	for _, name := range names {
		for {
			_, err := tc.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("pod %s/%s still there 60s after deletion", ns, name)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
}

// Pods lists the pods of namespace ns now, by name.
func Pods(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Pod {
	t.Helper()
	list, err := tc.Client.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing the pods of %s: %v", ns, err)
	}
	return byName(list.Items, func(p *corev1.Pod) string { return p.Name })
}

// byName indexes items by name.
func byName[T any](items []T, name func(*T) string) map[string]*T {
	out := make(map[string]*T, len(items))
	for i := range items {
		out[name(&items[i])] = &items[i]
	}
	return out
}

// WaitLogs waits (60 s at most) until kwok serves n lines of the pod's log:
// kwok learns about a Logs object through its informer, a moment later.
func WaitLogs(t *testing.T, tc *testcluster.Cluster, ns, name string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b, err := tc.Client.CoreV1().Pods(ns).GetLogs(name, &corev1.PodLogOptions{Container: name}).DoRaw(ctx)
		cancel()
		if err == nil && strings.Count(string(b), "\n") >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("kwok does not serve %d lines for %s/%s after 60s: %q, %v", n, ns, name, b, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
