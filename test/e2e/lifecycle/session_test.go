// Package lifecycle tests kill, terminate, restart and flush against the
// real control plane, with kwok playing the kubelets.
package lifecycle

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// proc is one process of a test session.
type proc struct {
	name, treeID, exec string
	host               int // index into the session's hosts
}

// threeLevels is a session with every kill stage: an LCS, another
// infrastructure application, the root controller, segment controllers on
// two levels and applications under each level.
var threeLevels = []proc{
	{"local-connection-server", "1", "gunicorn", 0},
	{"dqm-server", "2", "dqm", 0},
	{"root-controller", "0", "drunc-controller", 0},
	{"seg-a", "0.0", "drunc-controller", 1},
	{"seg-a-sub", "0.0.0", "drunc-controller", 1},
	{"ru-01", "0.0.0.0", "daq_application", 1},
	{"ru-02", "0.0.0.1", "daq_application", 1},
	{"tp-01", "0.0.1", "daq_application", 2},
	{"seg-b", "0.1", "drunc-controller", 2},
	{"df-01", "0.1.0", "daq_application", 2},
	{"hsi-01", "0.2", "daq_application", 2},
}

// bootFile writes a boot file of these processes on these hosts. The LCS
// gets a random NodePort: NodePorts are cluster-wide and tests run in
// parallel.
func bootFile(t *testing.T, name string, hosts []string, procs []proc) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata:\n  name: %s\nspec:\n  processes:\n", name)
	for _, p := range procs {
		fmt.Fprintf(&b, "  - name: %s\n    host: %s\n    treeId: %q\n    executables:\n", p.name, hosts[p.host], p.treeID)
		if p.exec == "gunicorn" {
			fmt.Fprintf(&b, "    - exec: gunicorn\n      shell: -b 0.0.0.0:%d connection-service.connection-flask:app\n", 30000+rand.IntN(2700))
			continue
		}
		fmt.Fprintf(&b, "    - exec: %s\n      args: [-n, %s]\n", p.exec, p.name)
	}
	path := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bootSession boots the processes with `kubectl drunc boot` on fresh kwok
// nodes and returns the session name; the namespace is deleted at cleanup.
func bootSession(t *testing.T, tc *testcluster.Cluster, procs []proc) string {
	t.Helper()
	hosts := testcluster.NodeNames("lc-host", 3)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("lc")
	file := bootFile(t, name, hosts, procs)
	t.Cleanup(func() { deleteNamespace(tc, name) })
	for attempt := 0; ; attempt++ {
		_, stderr, code := tc.Plugin(t, "boot", "-f", file, "-n", name, "--no-probe", "--timeout=180s")
		if code == 0 {
			break
		}
		// Another test may hold the random NodePort: pick another one.
		if attempt < 3 && strings.Contains(stderr, "provided port is already allocated") {
			deleteNamespace(tc, name)
			waitNamespaceGone(t, tc, name)
			file = bootFile(t, name, hosts, procs)
			continue
		}
		t.Fatalf("boot of %s failed (exit %d):\n%s", name, code, stderr)
	}
	tc.WaitServiceAccount(t, name)
	return name
}

func deleteNamespace(tc *testcluster.Cluster, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = tc.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
}

func waitNamespaceGone(t *testing.T, tc *testcluster.Cluster, name string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := tc.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		cancel()
		if err != nil {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("namespace %s still there after 60s", name)
}

// pods lists the session's pods now, by name.
func pods(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Pod {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*corev1.Pod{}
	for i := range l.Items {
		out[l.Items[i].Name] = &l.Items[i]
	}
	return out
}

func services(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Service {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*corev1.Service{}
	for i := range l.Items {
		out[l.Items[i].Name] = &l.Items[i]
	}
	return out
}

// countDrunc counts drunc pods and services in every namespace (writes in
// bad-input tests must leave it unchanged).
func countAll(t *testing.T, tc *testcluster.Cluster, ns string) int {
	t.Helper()
	return len(pods(t, tc, ns)) + len(services(t, tc, ns))
}

var keys = session.Keys("")

// waitServicesGone waits (bounded) until these services are gone: services
// owned by their pod are removed by the garbage collector after the pod.
func waitServicesGone(t *testing.T, tc *testcluster.Cluster, ns string, names ...string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		svcs := services(t, tc, ns)
		var left []string
		for _, n := range names {
			if _, ok := svcs[n]; ok {
				left = append(left, n)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("services %v of %s still there 60s after their pods went", left, ns)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
