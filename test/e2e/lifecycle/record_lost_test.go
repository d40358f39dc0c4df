package lifecycle

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// TestKilledAfterLostOrUnfinishedKill: a process reads Killed after it is
// killed, however its earlier pod went, in two cycles each:
//   - df-01's pod deleted with plain kubectl (Lost), then restarted and killed;
//   - ru-01's kill given up while a finalizer held its pod (the DELETE was
//     accepted: the record says Killed once the pod goes), then the pod
//     released, restarted and killed.
func TestKilledAfterLostOrUnfinishedKill(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, st := recordSession(t, tc, small)
	ctx := context.Background()
	plugin := func(args ...string) string {
		t.Helper()
		out, errOut, code := tc.Plugin(t, args...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		return out
	}
	killedInPs := func(name string) {
		t.Helper()
		if e := entryOf(t, st, name); e.State != sessionrecord.StateKilled {
			t.Errorf("%s recorded %s (pod %s, other pods %v), want Killed", name, e.State, e.PodUID, e.OtherPods)
		}
		if row := rowOf(plugin("ps", "-n", ns, "^"+name+"$"), name); len(row) < 4 || !strings.Contains(strings.Join(row, " "), "Killed") {
			t.Errorf("ps shows %s as %v, want Killed", name, row)
		}
	}

	if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, "df-01", metav1.DeleteOptions{GracePeriodSeconds: new(int64)}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, tc, ns, "df-01")
	for range 2 {
		plugin("restart", "-n", ns, "^df-01$", "--no-probe", "--timeout=60s")
		plugin("kill", "-n", ns, "^df-01$")
		killedInPs("df-01")
	}

	hold := []byte(`{"metadata":{"finalizers":["drunc.test/hold"]}}`)
	if _, err := tc.Client.CoreV1().Pods(ns).Patch(ctx, "ru-01", types.MergePatchType, hold, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := tc.Plugin(t, "kill", "-n", ns, "^ru-01$", "--timeout=3s")
	if code != 1 || !strings.Contains(errOut, "ru-01") {
		t.Fatalf("kill of a held pod: exit %d, want 1 naming ru-01\n%s", code, errOut)
	}
	release := []byte(`{"metadata":{"finalizers":null}}`)
	if _, err := tc.Client.CoreV1().Pods(ns).Patch(ctx, "ru-01", types.MergePatchType, release, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, tc, ns, "ru-01")
	killedInPs("ru-01")
	for range 2 {
		plugin("restart", "-n", ns, "^ru-01$", "--no-probe", "--timeout=60s")
		plugin("kill", "-n", ns, "^ru-01$")
		killedInPs("ru-01")
	}
}

// TestTerminateKeptSessionRecordsKilled: a session namespace that holds a
// pod drunc did not make is kept by terminate; its record, kept with it,
// says its processes were killed (not lost).
func TestTerminateKeptSessionRecordsKilled(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, st := recordSession(t, tc, small)
	host := pods(t, tc, ns)["ru-01"].Spec.NodeName
	foreign := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "not-drunc"},
		Spec: corev1.PodSpec{NodeSelector: map[string]string{corev1.LabelHostname: host},
			Containers: []corev1.Container{{Name: "c", Image: "busybox"}}},
	}
	if _, err := tc.Client.CoreV1().Pods(ns).Create(context.Background(), foreign, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := tc.Plugin(t, "terminate", "-n", ns)
	if code != 0 || !strings.Contains(errOut, "namespace "+ns+" kept") {
		t.Fatalf("terminate: exit %d, want 0 keeping the namespace\n%s", code, errOut)
	}
	for _, p := range small {
		if e := entryOf(t, st, p.name); e.State != sessionrecord.StateKilled {
			t.Errorf("%s recorded %s after terminate kept its namespace, want Killed", p.name, e.State)
		}
	}
}

// TestKillInterrupted: Ctrl-C while kill waits for a pod a finalizer holds
// exits 130; the stage line counts the pod deleted, not failed, and the
// record says Killed once the pod goes.
func TestKillInterrupted(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns, st := recordSession(t, tc, small)
	ctx := context.Background()
	hold := []byte(`{"metadata":{"finalizers":["drunc.test/hold"]}}`)
	if _, err := tc.Client.CoreV1().Pods(ns).Patch(ctx, "ru-02", types.MergePatchType, hold, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, cctx, "kill", "-n", ns, "^ru-02$")
	var errOut strings.Builder
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ { // until kill's DELETE of the held pod is in
		if p := pods(t, tc, ns)["ru-02"]; p != nil && p.DeletionTimestamp != nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(errOut.String(), "0 processes killed, 1 deleted, not seen gone yet") {
		t.Errorf("kill after Ctrl-C: exit %d, want 130 counting ru-02 deleted\n%s", code, errOut.String())
	}
	release := []byte(`{"metadata":{"finalizers":null}}`)
	if _, err := tc.Client.CoreV1().Pods(ns).Patch(ctx, "ru-02", types.MergePatchType, release, metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	waitGone(t, tc, ns, "ru-02")
	if e := entryOf(t, st, "ru-02"); e.State != sessionrecord.StateKilled {
		t.Errorf("ru-02 recorded %s after an interrupted kill, want Killed", e.State)
	}
}
