// Package wait proves `kubectl drunc wait` against the local control
// plane: success, a timeout that explains each process, fail-fast when a
// process dies, exit codes, deletion and empty selections.
package wait

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var keys = session.Keys("")

// pod is a drunc process pod (drunc's Python labels) pinned to host.
func pod(name, treeID, host string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			keys.Creator(): session.CreatorValue, keys.UUID(): "uuid-" + name, keys.TreeID(): treeID, session.AppLabel: name,
		}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: host},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: name, Image: "ghcr.io/dune-daq/alma9:latest",
				Command: []string{"sh", "-c", "daq_application -n " + name}, Env: []corev1.EnvVar{{Name: "USER", Value: "alice"}}}},
		},
	}
}

func create(t *testing.T, tc *testcluster.Cluster, ns string, pods ...*corev1.Pod) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, p := range pods {
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{}); err != nil {
			t.Fatalf("creating pod %s/%s: %v", ns, p.Name, err)
		}
	}
}

// session makes a namespace and kwok nodes for one test.
func newSession(t *testing.T, tc *testcluster.Cluster, prefix string, nodes int) (string, []string) {
	hosts := testcluster.NodeNames(prefix, nodes)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, prefix)
	tc.WaitServiceAccount(t, ns)
	return ns, hosts
}

func TestReady(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, hosts := newSession(t, tc, "wait-ready", 2)
	create(t, tc, ns, pod("root-controller", "0", hosts[0]), pod("ru-01", "0.0", hosts[1]), pod("df-01", "0.1", hosts[1]))
	out, errOut, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=90s")
	if code != 0 {
		t.Fatalf("wait --for=ready: exit %d\n%s", code, errOut)
	}
	for _, name := range []string{"root-controller", "ru-01", "df-01"} {
		if !strings.Contains(out, ns+"/"+name+" condition met (ready)") {
			t.Errorf("stdout does not report %s:\n%s", name, out)
		}
	}
	// A regex selects a subset; running is met by ready processes too.
	out, errOut, code = tc.Plugin(t, "wait", "-n", ns, "^ru", "--for=running", "--timeout=30s")
	if code != 0 || strings.Count(out, "condition met") != 1 {
		t.Errorf("wait ^ru --for=running: exit %d\n%s%s", code, out, errOut)
	}
}

// TestTimeoutExplainsEachProcess: a process whose host does not exist
// stays Pending; the timeout names it with the scheduler's reason and its
// last event, and not the process that became ready.
func TestTimeoutExplainsEachProcess(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, hosts := newSession(t, tc, "wait-timeout", 1)
	create(t, tc, ns, pod("root-controller", "0", hosts[0]), pod("ru-01", "0.0", "no-such-host"))
	t0 := time.Now()
	out, errOut, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=8s")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s%s", code, out, errOut)
	}
	if took := time.Since(t0); took < 8*time.Second {
		t.Errorf("returned after %s, before its timeout", took)
	}
	for _, want := range []string{
		"timed out waiting for 1 of 2 processes to be ready",
		ns + "/ru-01: Unschedulable",
		"didn't match Pod's node affinity/selector",
		"last event FailedScheduling",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "root-controller") {
		t.Errorf("the ready process is listed as not ready:\n%s", errOut)
	}
}

// TestFailsFastWhenAProcessDies: --for=ready returns as soon as a selected
// process exits non-zero, naming it with its exit code; --allow-dead waits.
func TestFailsFastWhenAProcessDies(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, hosts := newSession(t, tc, "wait-dies", 1)
	create(t, tc, ns, pod("ru-01", "0.0", hosts[0]), pod("df-01", "0.1", "no-such-host"))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "wait", "-n", ns, "--for=ready", "--timeout=120s")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tc.ExitPod(t, ns, "ru-01", 3)
	exited := time.Now()
	err := cmd.Wait()
	if took := time.Since(exited); took > 20*time.Second {
		t.Errorf("wait returned %s after the process died: not fail-fast", took)
	}
	if cmd.ProcessState.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s", err, stderr.String())
	}
	for _, want := range []string{"1 of 2 processes can no longer be ready", ns + "/ru-01: Error; exit code 3"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}

	// --allow-dead keeps waiting: it ends by its timeout.
	_, errOut, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=3s", "--allow-dead")
	if code != 2 || !strings.Contains(errOut, "timed out") {
		t.Errorf("--allow-dead: exit %d, want a timeout\n%s", code, errOut)
	}
	// The exit code itself can be waited for.
	if _, errOut, code := tc.Plugin(t, "wait", "-n", ns, "ru-01", "--for=exit=3", "--timeout=10s"); code != 0 {
		t.Errorf("--for=exit=3: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := tc.Plugin(t, "wait", "-n", ns, "ru-01", "--for=exit=0", "--timeout=30s"); code != 2 || !strings.Contains(errOut, "can no longer exit with code 0") {
		t.Errorf("--for=exit=0 on a process that exited 3: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := tc.Plugin(t, "wait", "-n", ns, "ru-01", "--for=dead", "--timeout=10s"); code != 0 {
		t.Errorf("--for=dead: exit %d\n%s", code, errOut)
	}
}

func TestDeletedAndEmpty(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, hosts := newSession(t, tc, "wait-deleted", 1)
	create(t, tc, ns, pod("ru-01", "0.0", hosts[0]))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "wait", "-n", ns, "ru-01", "--for=deleted", "--timeout=60s")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // let it list the pod first
	if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, "ru-01", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil || !strings.Contains(stdout.String(), ns+"/ru-01 condition met (deleted)") {
		t.Errorf("--for=deleted: %v\n%s%s", err, stdout.String(), stderr.String())
	}

	_, errOut, code := tc.Plugin(t, "wait", "-n", ns, "nothing-like-this", "--for=ready", "--timeout=5s")
	if code != 2 || !strings.Contains(errOut, "no process matches the selection in session") {
		t.Errorf("empty selection: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := tc.Plugin(t, "wait", "-n", ns, "nothing-like-this", "--for=ready", "--allow-empty"); code != 0 {
		t.Errorf("--allow-empty: exit %d\n%s", code, errOut)
	}
}

func TestBadFlags(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"wait", "-n", "x"}, "--for is required"},
		{[]string{"wait", "-n", "x", "--for=happy"}, `--for="happy" is not a condition`},
		{[]string{"wait", "-n", "x", "--for=exit=300"}, "exit code must be a number from 0 to 255"},
		{[]string{"wait", "-n", "x", "--for=ready", "a("}, "not a valid regular expression"},
	} {
		out, errOut, code := tc.Plugin(t, c.args...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d stdout %q stderr %q, want %q", c.args, code, out, errOut, c.want)
		}
	}
}
