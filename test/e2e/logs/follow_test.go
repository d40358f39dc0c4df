package logs

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

var kwokLogs = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "logs"}

// restartLog gives the process's next pod a fresh log file, as a new
// container has, and waits until kwok serves it (asked through the still
// running old pod: kwok finds logs by pod name).
func restartLog(t *testing.T, tc *testcluster.Cluster, ns, name string, first string) *testcluster.PodLog {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := tc.Dynamic.Resource(kwokLogs).Namespace(ns).Delete(ctx, name, metav1.DeleteOptions{}); err != nil {
		t.Fatalf("deleting kwok Logs %s/%s: %v", ns, name, err)
	}
	log := tc.ServeLogs(t, ns, name, name)
	log.Append(t, first)
	for {
		b, err := tc.Client.CoreV1().Pods(ns).GetLogs(name, &corev1.PodLogOptions{Container: name}).DoRaw(ctx)
		if err == nil && string(b) == first+"\n" {
			return log
		}
		select {
		case <-ctx.Done():
			t.Fatalf("kwok still serves the old log of %s/%s: %q, %v", ns, name, b, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// A restart deletes the pod and creates one with the same name: logs -f
// says so and follows the new pod from its first line, without repeating
// anything of the old one.
func TestLogsFollowAcrossRestart(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-restart")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01")
	log := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	log.Append(t, "before 1")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 1)

	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "ru-01")
	f.waitLine(t, "before 1")
	log.Append(t, "before 2")
	f.waitLine(t, "before 2")

	restartLog(t, tc, ns, "ru-01", "after 1")
	e2eproc.DeleteGone(t, tc, ns, "ru-01")
	// Only while the process has no pod is there a gap to report: a pod
	// that is back before logs -f looks again is simply a new pod.
	f.waitStderr(t, "["+ns+"/ru-01] pod deleted: waiting for the process to come back")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	f.waitLine(t, "after 1")
	f.stop(t)

	want := []string{"before 1", "before 2", "after 1"}
	if got := f.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logs -f across a restart printed %q, want %q", got, want)
	}
	errOut := f.stderr()
	for _, note := range []string{"[" + ns + "/ru-01] pod deleted: waiting for the process to come back", "[" + ns + "/ru-01] new pod (uid "} {
		if !strings.Contains(errOut, note) {
			t.Errorf("stderr %q, want it to contain %q", errOut, note)
		}
	}
}

// A process that appears while following (booted later) is picked up from
// its first line, with prefixes since the selection may grow.
func TestLogsFollowPicksUpNewProcesses(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-new")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01", "ru-02")
	ru1 := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	ru1.Append(t, "one")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 1)

	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "ru-", "--prefix")
	f.waitLine(t, "["+ns+"/ru-01] one")
	tc.ServeLogs(t, ns, "ru-02", "ru-02").Append(t, "two: first line", "two: second line")
	e2eproc.CreateRunning(t, tc, pods["ru-02"])
	f.waitLine(t, "["+ns+"/ru-02] two: second line")
	f.stop(t)
	want := []string{"[" + ns + "/ru-01] one", "[" + ns + "/ru-02] two: first line", "[" + ns + "/ru-02] two: second line"}
	if got := f.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("printed %q, want %q", got, want)
	}
}

// When the connection to the API server drops, the stream is reopened
// from the last printed line's timestamp: nothing repeated, nothing lost,
// even for lines written in the same second as the last one printed.
func TestLogsFollowResumesAfterADroppedStream(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-resume")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01")
	log := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	log.Append(t, "line 1", "line 1", "line 2")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 3)

	kubeconfig, proxy := kubeconfigThrough(t, tc)
	f := startFollow(t, tc, kubeconfig, "-n", ns, "ru-01")
	f.waitLine(t, "line 2")
	before := proxy.connections()
	proxy.cut()
	log.Append(t, "line 3")
	f.waitLine(t, "line 3")
	log.Append(t, "line 4")
	f.waitLine(t, "line 4")
	f.stop(t)

	if proxy.connections() <= before {
		t.Fatalf("the plugin did not reconnect after the cut (%d connections before, %d after)", before, proxy.connections())
	}
	want := []string{"line 1", "line 1", "line 2", "line 3", "line 4"}
	if got := f.lines(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logs -f through a dropped connection printed %q, want %q", got, want)
	}
}

// The same through `kubectl drunc restart`, the verb operators use.
func TestLogsFollowAcrossRestartVerb(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-restart-verb")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01")
	log := tc.ServeLogs(t, ns, "ru-01", "ru-01")
	log.Append(t, "before restart")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.WaitLogs(t, tc, ns, "ru-01", 1)

	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "ru-01")
	f.waitLine(t, "before restart")
	restartLog(t, tc, ns, "ru-01", "after restart")
	if out, errOut, code := tc.Plugin(t, "restart", "-n", ns, "^ru-01$", "--force", "--timeout=60s"); code != 0 {
		t.Fatalf("kubectl drunc restart: exit %d\n%s\n%s", code, out, errOut)
	}
	f.waitLine(t, "after restart")
	f.waitStderr(t, "["+ns+"/ru-01] new pod (uid ")
	f.stop(t)
	if got, want := f.lines(), []string{"before restart", "after restart"}; strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("logs -f across kubectl drunc restart printed %q, want %q", got, want)
	}
}
