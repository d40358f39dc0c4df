package reliability

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// clusterWithStages is the shared cluster when it runs what these tests
// rely on — kwok with the drunc-env-* stages of
// hack/cluster/kwok/drunc-stages.yaml and with node Leases (so a node kwok
// stops managing goes NotReady after the grace period, and only that one) —
// else (a cluster started before those were added) a private control plane,
// which has them.
func clusterWithStages(t *testing.T, nodes ...string) *testcluster.Cluster {
	t.Helper()
	tc := testcluster.Get(t)
	config, err1 := os.ReadFile(filepath.Join(tc.StateDir, "kwok-config.yaml"))
	args, err2 := os.ReadFile(filepath.Join(tc.StateDir, "args", "kwok.args"))
	if err1 == nil && err2 == nil && strings.Contains(string(config), "name: drunc-env-waiting") &&
		strings.Contains(string(args), "--node-lease-duration-seconds") {
		tc.Nodes(t, nodes...)
		return tc
	}
	t.Logf("the shared cluster's kwok was started without the drunc-env-* stages or node Leases: using a private control plane")
	return testcluster.Private(t, nodes...)
}

// TestCrashedProcessesInPsAndWait: processes of a running session exit
// non-zero (kwok's drunc-container-exit stage), are OOM-killed or
// crash-loop (the status a kubelet would write, set directly: kwok leaves
// Running and Failed pods alone; its chaos stage did not fire here); ps
// shows each with kubectl's STATUS and the exit code, and `wait --for=ready`
// fails naming them, not the healthy one.
func TestCrashedProcessesInPsAndWait(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("crash", 1)
	tc.Nodes(t, hosts...)
	ns := tc.UniqueName("crash")
	boot(t, tc, ns, generated(hosts, 4))
	tc.ExitPod(t, ns, "app-001", 3)
	oomKilled(t, tc, ns, "app-002")
	crashLoop(t, tc, ns, "app-003")

	eventually(t, 30*time.Second, "ps showing the crashes", func() (bool, string) {
		rows := psTable(t, tc, ns)
		ok := rows["app-001"].status == "Error" && rows["app-001"].exit == "3" &&
			rows["app-002"].status == "OOMKilled" && rows["app-002"].exit == "137" &&
			rows["app-003"].status == "CrashLoopBackOff" &&
			rows["app-004"].status == "Running"
		return ok, strings.ReplaceAll(strings.TrimSpace(strings.Join(fmtRows(rows), "; ")), "\n", " ")
	})

	out, stderr, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=15s")
	if code == 0 {
		t.Fatalf("wait --for=ready with crashed processes exited 0:\n%s", out)
	}
	for name, why := range map[string]string{"app-001": "3", "app-002": "OOMKilled", "app-003": "CrashLoopBackOff"} {
		if !mentions(stderr, name, why) {
			t.Errorf("wait --for=ready: stderr does not name %s with %s:\n%s", name, why, stderr)
		}
	}
	if strings.Contains(stderr, "app-004") {
		t.Errorf("wait --for=ready names the healthy app-004:\n%s", stderr)
	}
}

// TestBootFailsNamingCrashedProcesses: processes that crash at start
// (exit 2), are OOM-killed at start, or cannot pull their image (kwok
// stages keyed by env, so they never look Ready) make `boot --wait` fail,
// naming each with its reason; ps shows them the same way.
func TestBootFailsNamingCrashedProcesses(t *testing.T) {
	t.Parallel()
	hosts := testcluster.NodeNames("bootcrash", 1)
	tc := clusterWithStages(t, hosts...)
	ns := tc.UniqueName("bootcrash")
	tc.DeleteNamespaceLater(t, ns)
	procs := generated(hosts, 1)
	procs = append(procs,
		proc{name: "crash-01", treeID: "0.1", host: hosts[0], env: map[string]string{"KWOK_DRUNC_TEST_EXIT_CODE": "2"}},
		proc{name: "oom-01", treeID: "0.2", host: hosts[0], env: map[string]string{"KWOK_DRUNC_TEST_EXIT_CODE": "137", "KWOK_DRUNC_TEST_EXIT_REASON": "OOMKilled"}},
		proc{name: "pull-01", treeID: "0.3", host: hosts[0], env: map[string]string{"KWOK_DRUNC_TEST_WAITING": "ImagePullBackOff"}},
	)
	_, stderr, code := tc.Plugin(t, "boot", "-f", bootFile(t, ns, procs), "-n", ns, "--no-probe", "--timeout=20s")
	if code == 0 {
		t.Fatalf("boot with crashing processes exited 0:\n%s", stderr)
	}
	for name, why := range map[string]string{"crash-01": "Error", "oom-01": "OOMKilled", "pull-01": "ImagePullBackOff"} {
		if !mentions(stderr, name, why) {
			t.Errorf("boot: stderr does not name %s with %s:\n%s", name, why, stderr)
		}
	}
	// Its table, stderr being no terminal, has plain columns as kubectl's.
	if rows := summaryRows(stderr); rows["crash-01"] == "" || strings.ContainsAny(stderr, "│┌") {
		t.Errorf("boot: the summary is not a plain table naming crash-01 (%v):\n%s", rows, stderr)
	}
	// Its Warning explains a crash at start, not the Scheduled event of
	// the same second.
	if !mentions(stderr, "crash-01", "last event Exited") {
		t.Errorf("boot: crash-01's last event is not its Exited warning:\n%s", stderr)
	}
	rows := psTable(t, tc, ns)
	for name, want := range map[string]psRow{
		"app-001":  {status: "Running"},
		"crash-01": {status: "Error", exit: "2"},
		"oom-01":   {status: "OOMKilled", exit: "137"},
		"pull-01":  {status: "ImagePullBackOff"},
	} {
		got := rows[name]
		if got.status != want.status || (want.exit != "" && got.exit != want.exit) {
			t.Errorf("ps: %s is %q exit %q; want %q exit %q", name, got.status, got.exit, want.status, want.exit)
		}
	}
	_, stderr, code = tc.Plugin(t, "wait", "-n", ns, "pull-01", "--for=ready", "--timeout=5s")
	if code == 0 || !mentions(stderr, "pull-01", "ImagePullBackOff") {
		t.Errorf("wait --for=ready pull-01: exit %d, want non-zero naming ImagePullBackOff:\n%s", code, stderr)
	}
}

// oomKilled writes the status a kubelet reports for a container the kernel
// killed for exceeding its memory limit.
func oomKilled(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	setStatus(t, tc, ns, name, func(pod *corev1.Pod) {
		now := metav1.Now()
		pod.Status.Phase = corev1.PodFailed
		notReady(pod, "PodFailed")
		for i := range pod.Status.ContainerStatuses {
			s := &pod.Status.ContainerStatuses[i]
			s.Ready, s.State.Running = false, nil
			s.State.Terminated = &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled", FinishedAt: now}
		}
	})
}

// crashLoop writes the status a kubelet reports for a container that keeps
// crashing and is being restarted: Running, not Ready, waiting in
// CrashLoopBackOff with restarts and the last exit.
func crashLoop(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	setStatus(t, tc, ns, name, func(pod *corev1.Pod) {
		notReady(pod, "ContainersNotReady")
		for i := range pod.Status.ContainerStatuses {
			s := &pod.Status.ContainerStatuses[i]
			s.Ready, s.RestartCount = false, 4
			s.State.Running = nil
			s.State.Waiting = &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off 40s restarting failed container"}
			s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 2, Reason: "Error", FinishedAt: metav1.Now()}
		}
	})
}

func notReady(pod *corev1.Pod, reason string) {
	for i := range pod.Status.Conditions {
		c := &pod.Status.Conditions[i]
		if c.Type == corev1.PodReady || c.Type == corev1.ContainersReady {
			c.Status, c.Reason, c.LastTransitionTime = corev1.ConditionFalse, reason, metav1.Now()
		}
	}
}

// setStatus rewrites a pod's status as a kubelet would (status subresource).
func setStatus(t *testing.T, tc *testcluster.Cluster, ns, name string, mutate func(*corev1.Pod)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pod, err := tc.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mutate(pod)
	if _, err := tc.Client.CoreV1().Pods(ns).UpdateStatus(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("writing the status of %s/%s: %v", ns, name, err)
	}
}

// mentions tells whether one line of out names the process and the reason.
func mentions(out, name, why string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, name) && strings.Contains(line, why) {
			return true
		}
	}
	return false
}

func fmtRows(rows map[string]psRow) []string {
	var out []string
	for _, name := range sortedKeys(rows) {
		r := rows[name]
		out = append(out, name+" "+r.status+" "+r.exit)
	}
	return out
}
