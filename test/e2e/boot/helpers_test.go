// Package boot proves `kubectl drunc boot` against the local control plane:
// dependency order, readiness, the namespace lock, host checks, partial
// failures with rollback, and Ctrl-C. kwok nodes are not reachable, so every
// boot here runs with --no-probe (the probes are unit-tested on loopback).
package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// genSession describes a generated boot file: a connection server and a root
// controller on Gate, then Apps applications spread over Hosts.
type genSession struct {
	Name string
	Gate string // host of the connection server and the root controller
	// LCSHost, if set, is the connection server's host instead of Gate.
	LCSHost string
	Hosts   []string // hosts of the applications, round robin
	Apps    int
	// LCSPort is the connection server's NodePort: cluster-wide, so each
	// test takes its own.
	LCSPort int
	// Extra are more arguments of some applications, by name.
	Extra map[string][]string
}

// lcsPort draws a NodePort no other test draws (testcluster.NodePorts).
func lcsPort(t *testing.T) int { return testcluster.Get(t).NodePort(t) }

// processes are the session's processes, in boot file order.
func (s genSession) processes(t *testing.T) []e2eproc.BootProc {
	if s.LCSPort == 0 {
		s.LCSPort = lcsPort(t)
	}
	lcsHost := s.Gate
	if s.LCSHost != "" {
		lcsHost = s.LCSHost
	}
	procs := []e2eproc.BootProc{
		e2eproc.ConnectionServer(lcsHost, s.LCSPort),
		e2eproc.RootController(s.Gate, "-s", s.Name, "-n", "root-controller"),
	}
	for i := range s.Apps {
		name := fmt.Sprintf("app-%03d", i)
		procs = append(procs, e2eproc.App(name, s.Hosts[i%len(s.Hosts)], fmt.Sprintf("0.%d", i), s.Extra[name]...))
	}
	return procs
}

// bootFile writes the session's boot file and returns its path.
func bootFile(t *testing.T, s genSession) string {
	t.Helper()
	return e2eproc.WriteBootFile(t, s.Name, s.processes(t)...)
}

// cleanupSession deletes the session namespace when the test ends (the
// plugin created it, so the harness does not know it).
func cleanupSession(t *testing.T, tc *testcluster.Cluster, ns string) {
	tc.DeleteNamespaceLater(t, ns)
}

// objects counts what exists of a session: whether its namespace exists
// (and is not being deleted), its pods and its services.
func objects(t *testing.T, tc *testcluster.Cluster, ns string) (live bool, pods, services int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		t.Fatalf("reading namespace %s: %v", ns, err)
	default:
		live = n.DeletionTimestamp == nil
	}
	pl, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing pods of %s: %v", ns, err)
	}
	sl, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing services of %s: %v", ns, err)
	}
	return live, len(pl.Items), len(sl.Items)
}

// readyPods returns the names of the session's Ready pods.
func readyPods(t *testing.T, tc *testcluster.Cluster, ns string) map[string]bool {
	t.Helper()
	pl, err := tc.Client.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range pl.Items {
		if isReady(&p) {
			out[p.Name] = true
		}
	}
	return out
}

func isReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// boot runs `kubectl drunc boot` and logs its output.
func boot(t *testing.T, tc *testcluster.Cluster, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	stdout, stderr, code = tc.Plugin(t, append([]string{"boot"}, args...)...)
	t.Logf("kubectl drunc boot %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, stdout, stderr)
	return stdout, stderr, code
}

// pmConfig writes a process-manager configuration.
func pmConfig(t *testing.T, json string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pm-config.json")
	if err := os.WriteFile(path, []byte(json), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func osReadFile(path string) ([]byte, error)  { return os.ReadFile(path) }
func osWriteFile(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
