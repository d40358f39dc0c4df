// Package reliability proves kubectl-drunc's reliability and security
// properties against the real control plane (kwok plays the kubelets):
// watch faults (apiserver and etcd restarts, on a private control plane),
// node loss, crashed processes, concurrent commands, ownership of objects,
// bad input that must write nothing, and the shipped RBAC role.
// RELIABILITY.md at the repository root records the outcome.
package reliability

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/syncbuf"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// keys are drunc's default label keys (creator.drunc.daq, ...).
var keys = session.Keys("")

// proc is one process of a generated test session.
type proc struct {
	name, treeID, host string
	env                map[string]string
}

// generated is a root controller and n applications spread over hosts (no
// LCS: its NodePort is cluster-wide and tests run in parallel).
func generated(hosts []string, n int) []proc {
	procs := []proc{{name: "root-controller", treeID: "0", host: hosts[0]}}
	for i := 0; i < n; i++ {
		procs = append(procs, proc{name: fmt.Sprintf("app-%03d", i+1), treeID: fmt.Sprintf("0.%d", i), host: hosts[i%len(hosts)]})
	}
	return procs
}

// bootFile writes a boot file of these processes and returns its path.
func bootFile(t *testing.T, name string, procs []proc) string {
	t.Helper()
	boot := make([]e2eproc.BootProc, len(procs))
	for i, p := range procs {
		exe := "daq_application"
		if p.treeID == "0" {
			exe = "drunc-controller"
		}
		boot[i] = e2eproc.BootProc{Name: p.name, Host: p.host, TreeID: p.treeID, Exec: exe, Args: []string{"-n", p.name}, Env: p.env}
	}
	return e2eproc.WriteBootFile(t, name, boot...)
}

// boot boots a session with the plugin and fails the test unless it is Ready.
func boot(t *testing.T, tc *testcluster.Cluster, name string, procs []proc) {
	t.Helper()
	tc.DeleteNamespaceLater(t, name)
	if _, stderr, code := tc.Plugin(t, "boot", "-f", bootFile(t, name, procs), "-n", name, "--no-probe", "--timeout=90s"); code != 0 {
		t.Fatalf("boot %s: exit %d\n%s", name, code, stderr)
	}
}

// run is a plugin command started in the background.
type run struct {
	args           []string
	cmd            *exec.Cmd
	stdout, stderr syncbuf.Buffer
	done           chan struct{}
	err            error
}

// start runs the plugin in the background; the context bounds it (SIGINT,
// then kill).
func start(t *testing.T, ctx context.Context, tc *testcluster.Cluster, args ...string) *run {
	t.Helper()
	r := &run{args: args, cmd: tc.PluginCommand(t, ctx, args...), done: make(chan struct{})}
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("starting kubectl drunc %s: %v", strings.Join(args, " "), err)
	}
	go func() { r.err = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = r.cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// wait waits (bounded) for the command to end and returns its exit code.
func (r *run) wait(t *testing.T, within time.Duration) int {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(within):
		t.Fatalf("kubectl drunc %s still running after %s\nstderr:\n%s", strings.Join(r.args, " "), within, r.stderr.String())
	}
	return r.cmd.ProcessState.ExitCode()
}

// interrupt sends Ctrl-C and returns the exit code.
func (r *run) interrupt(t *testing.T, within time.Duration) int {
	t.Helper()
	_ = r.cmd.Process.Signal(os.Interrupt)
	return r.wait(t, within)
}

// eventually polls cond every 200 ms until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	testcluster.Eventually(t, within, what, cond)
}

// pods lists the pods of a namespace by name.
func pods(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Pod {
	t.Helper()
	return e2eproc.Pods(t, tc, ns)
}

// services lists the services of a namespace by name.
func services(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Service {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	list, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("listing services of %s: %v", ns, err)
	}
	out := map[string]*corev1.Service{}
	for i := range list.Items {
		out[list.Items[i].Name] = &list.Items[i]
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

// namespaceGone reports whether the namespace no longer exists.
func namespaceGone(t *testing.T, tc *testcluster.Cluster, ns string) (bool, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return true, ""
	}
	if err != nil {
		return false, err.Error()
	}
	return false, fmt.Sprintf("namespace %s phase %s", ns, n.Status.Phase)
}

// psRow is one row of `kubectl drunc ps` (default columns).
type psRow struct{ name, role, host, status, exit string }

// psTable runs `kubectl drunc ps -n NS` and returns its rows by name.
func psTable(t *testing.T, tc *testcluster.Cluster, ns string) map[string]psRow {
	t.Helper()
	out, stderr, code := tc.Plugin(t, "ps", "-n", ns, "--no-headers")
	if code != 0 {
		t.Fatalf("ps -n %s: exit %d\n%s", ns, code, stderr)
	}
	rows := map[string]psRow{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		rows[f[0]] = psRow{name: f[0], role: f[1], host: f[2], status: f[3], exit: f[4]}
	}
	return rows
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
