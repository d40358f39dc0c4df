package boot

import (
	"bytes"
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// A quota admitting 7 of 12 pods: the 5 refused processes are listed with
// the API's reason, the others still come up, and --rollback removes all.
//
// The quota must exist in the namespace boot creates, before the processes:
// the connection server's host is a Ready node no kubelet manages, and the
// test plays its (slow) kubelet: boot waits at the connection server while
// the test adds the quota, then the test makes the pod Ready.
func TestBootQuotaFailuresAndRollback(t *testing.T) {
	for _, rollback := range []bool{false, true} {
		name := "keep"
		if rollback {
			name = "rollback"
		}
		t.Run(name, func(t *testing.T) { quotaBoot(t, rollback) })
	}
}

func quotaBoot(t *testing.T, rollback bool) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("np06-srv", 2)
	held, app := hosts[0], hosts[1]
	tc.Nodes(t, app)
	heldNode(t, tc, held)
	ns := tc.UniqueName("quota")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, LCSHost: held, Gate: app, Hosts: []string{app}, Apps: 10})

	args := []string{"boot", "-f", file, "--no-probe", "--timeout", "90s"}
	if rollback {
		args = append(args, "--rollback")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	// Boot created the namespace and waits at the connection server.
	eventually(t, "the namespace and the connection server pod", 30*time.Second, func() bool {
		p, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "local-connection-server", metav1.GetOptions{})
		return err == nil && p.Spec.NodeName == held
	})
	quota := &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Name: "half"},
		Spec:       corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{corev1.ResourcePods: resource.MustParse("7")}},
	}
	if _, err := tc.Client.CoreV1().ResourceQuotas(ns).Create(ctx, quota, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the quota to be enforced", 30*time.Second, func() bool {
		q, err := tc.Client.CoreV1().ResourceQuotas(ns).Get(ctx, "half", metav1.GetOptions{})
		return err == nil && len(q.Status.Hard) > 0
	})
	kubelet(t, tc, ctx, ns, "local-connection-server")
	select {
	case <-exited:
	case <-ctx.Done():
		t.Fatalf("boot did not end:\n%s", stderr.String())
	}
	code := cmd.ProcessState.ExitCode()
	t.Logf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	out := stderr.String()
	if n := strings.Count(out, "exceeded quota: half, requested: pods=1"); n != 5 {
		t.Errorf("%d processes reported with the quota refusal, want 5", n)
	}
	if n := strings.Count(out, "CreateFailed"); n != 5 {
		t.Errorf("%d CreateFailed rows, want 5", n)
	}
	if !strings.Contains(out, `session "`+ns+`": 5 of 12 processes not ready`) {
		t.Errorf("stderr lacks the 5 of 12 count")
	}
	live, pods, services := objects(t, tc, ns)
	if !rollback {
		if ready := readyPods(t, tc, ns); len(ready) != 7 {
			t.Errorf("%d Ready pods, want the 7 the quota admitted", len(ready))
		}
		if !live || pods != 7 || services != 7 {
			t.Errorf("namespace live=%v, %d pods, %d services; want the 7 admitted processes", live, pods, services)
		}
		return
	}
	if !strings.Contains(out, "rolled back") {
		t.Errorf("stderr does not report the rollback")
	}
	if _, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s still there after --rollback (err %v)", ns, err)
	}
	if live || pods != 0 || services != 0 {
		t.Errorf("after --rollback: namespace live=%v, %d pods, %d services; want nothing", live, pods, services)
	}
}

// kubelet plays the kubelet of a held node for one pod: it runs it (Ready)
// and, once its deletion is requested, confirms it (deletes it for good).
func kubelet(t *testing.T, tc *testcluster.Cluster, ctx context.Context, ns, name string) {
	t.Helper()
	pods := tc.Client.CoreV1().Pods(ns)
	p, err := pods.Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now := metav1.Now()
	p.Status.Phase = corev1.PodRunning
	p.Status.StartTime = &now
	for _, ct := range []corev1.PodConditionType{corev1.PodInitialized, corev1.ContainersReady, corev1.PodReady} {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: ct, Status: corev1.ConditionTrue, LastTransitionTime: now})
	}
	p.Status.ContainerStatuses = nil
	for _, c := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, Ready: true, Started: ptrTrue(),
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}},
		})
	}
	if _, err := pods.UpdateStatus(ctx, p, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("making %s Ready: %v", name, err)
	}
	go func() {
		for ctx.Err() == nil {
			q, err := pods.Get(ctx, name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				return
			}
			if err == nil && q.DeletionTimestamp != nil {
				zero := int64(0)
				_ = pods.Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
}

func ptrTrue() *bool { b := true; return &b }

// heldNode creates a Ready node that no kubelet runs pods on (kwok manages
// only annotated nodes): pods bound to it stay Pending.
func heldNode(t *testing.T, tc *testcluster.Cluster, name string) {
	t.Helper()
	n := testcluster.FakeNode(name)
	delete(n.Annotations, testcluster.FakeNodeAnnotation)
	n.Status.Conditions = []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue, Reason: "KubeletReady",
		LastHeartbeatTime: metav1.Now(), LastTransitionTime: metav1.Now()}}
	if _, err := tc.Client.CoreV1().Nodes().Create(context.Background(), n, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		zero := int64(0)
		pods, _ := tc.Client.CoreV1().Pods("").List(ctx, metav1.ListOptions{FieldSelector: "spec.nodeName=" + name})
		if pods != nil {
			for _, p := range pods.Items {
				_ = tc.Client.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
			}
		}
		_ = tc.Client.CoreV1().Nodes().Delete(ctx, name, metav1.DeleteOptions{})
	})
}

// A process the scheduler cannot place: the summary names it with its
// status and the scheduler's last event, and the exit code is not 0.
func TestBootSummaryExplainsUnschedulable(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np07-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("unsched")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 2})
	// A readout application (name contains "runp") asks for more hugepages
	// than the node has.
	extra := `  - name: runp-big
    host: ` + host + `
    treeId: "0.9"
    executables:
    - exec: daq_application
`
	appendFile(t, file, extra)
	pm := pmConfig(t, `{"settings": {"host_configs": {"`+host+`": {"requests": {"hugepages-1Gi": "1000Gi", "memory": "1Gi"}, "limits": {"hugepages-1Gi": "1000Gi", "memory": "1Gi"}}}}}`)
	_, stderr, code := boot(t, tc, "-f", file, "--no-probe", "--pm-config", pm, "--timeout", "6s")
	if code == 0 {
		t.Fatal("boot with an unschedulable process succeeded")
	}
	var row string
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "runp-big") {
			row = line
		}
	}
	if row == "" || !strings.Contains(row, "Unschedulable") {
		t.Errorf("no summary row for runp-big with status Unschedulable:\n%s", stderr)
	}
	if !strings.Contains(stderr, "FailedScheduling") || !strings.Contains(stderr, "hugepages-1Gi") {
		t.Errorf("the summary lacks the scheduler's last event (FailedScheduling ... hugepages-1Gi):\n%s", stderr)
	}
	if !strings.Contains(stderr, `session "`+ns+`": 1 of 5 processes not ready`) {
		t.Errorf("stderr lacks the 1 of 5 count")
	}
	if ready := readyPods(t, tc, ns); len(ready) != 4 {
		t.Errorf("%d Ready pods, want the 4 others", len(ready))
	}
}

// Ctrl-C in the middle of creating: the boot stops creating, exits 130, and
// no pod is left without its service; with --rollback nothing is left.
func TestBootInterrupt(t *testing.T) {
	for _, rollback := range []bool{false, true} {
		name := "keep"
		if rollback {
			name = "rollback"
		}
		t.Run(name, func(t *testing.T) { interruptBoot(t, rollback) })
	}
}

func interruptBoot(t *testing.T, rollback bool) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np08-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("intr")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 300})
	args := []string{"boot", "-f", file, "--no-probe", "--max-in-flight", "1"}
	if rollback {
		args = append(args, "--rollback")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "some applications to be created", 60*time.Second, func() bool {
		pl, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		return err == nil && len(pl.Items) >= 10
	})
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	t.Logf("exit %d\nstderr:\n%s", code, stderr.String())
	if code != 130 {
		t.Fatalf("exit code %d after Ctrl-C, want 130", code)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say the boot was interrupted")
	}
	pl, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sl, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rollback {
		live, pods, services := objects(t, tc, ns)
		if live || pods != 0 || services != 0 {
			t.Errorf("after Ctrl-C with --rollback: namespace live=%v, %d pods, %d services; want nothing", live, pods, services)
		}
		return
	}
	if len(pl.Items) >= 302 {
		t.Errorf("all %d processes were created: the interrupt did not stop the boot", len(pl.Items))
	}
	svcs := map[string]bool{}
	for _, s := range sl.Items {
		svcs[s.Name] = true
	}
	for _, p := range pl.Items {
		if !svcs[p.Name] {
			t.Errorf("pod %s has no service after the interrupted boot", p.Name)
		}
	}
	if len(sl.Items) != len(pl.Items) {
		t.Errorf("%d services for %d pods", len(sl.Items), len(pl.Items))
	}
	t.Logf("interrupted after %d of 302 processes", len(pl.Items))
}

// eventually polls cond (a test waiting on the cluster, bounded).
func eventually(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	b, err := osReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := osWriteFile(path, append(b, text...)); err != nil {
		t.Fatal(err)
	}
}
