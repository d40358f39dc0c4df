package waitfor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// These tests drive the wait logic through a fake clientset; the same
// behaviours are proved against the real control plane in test/e2e/wait.

func drunc(name string) *corev1.Pod {
	k := session.Keys("")
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "s", UID: types.UID("uid-" + name),
			Labels: map[string]string{k.Creator(): session.CreatorValue, k.TreeID(): "0.0"}},
		Spec:   corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: "c"}}},
		Status: corev1.PodStatus{Phase: corev1.PodPending},
	}
}

func setRunning(p *corev1.Pod, ready bool) *corev1.Pod {
	p = p.DeepCopy()
	p.ResourceVersion = ""
	p.Status.Phase = corev1.PodRunning
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}, Ready: ready}}
	st := corev1.ConditionFalse
	if ready {
		st = corev1.ConditionTrue
	}
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: st}}
	return p
}

func setExited(p *corev1.Pod, code int32) *corev1.Pod {
	p = p.DeepCopy()
	p.Status.Phase = corev1.PodFailed
	if code == 0 {
		p.Status.Phase = corev1.PodSucceeded
	}
	p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "c", State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: "Error"}}}}
	return p
}

func start(t *testing.T, pods ...*corev1.Pod) (*fake.Clientset, *informers.Cache, context.Context) {
	t.Helper()
	client := fake.NewClientset()
	for _, p := range pods {
		if _, err := client.CoreV1().Pods(p.Namespace).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	c, err := informers.Start(ctx, informers.Config{Client: client, Namespace: "s"})
	if err != nil {
		t.Fatal(err)
	}
	return client, c, ctx
}

func update(t *testing.T, client *fake.Clientset, p *corev1.Pod) {
	t.Helper()
	if _, err := client.CoreV1().Pods(p.Namespace).UpdateStatus(context.Background(), p, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func all(*corev1.Pod) bool { return true }

func TestReadyAfterUpdates(t *testing.T) {
	a, b := drunc("a"), drunc("b")
	client, c, ctx := start(t, a, b)
	go func() {
		time.Sleep(50 * time.Millisecond)
		update(t, client, setRunning(a, true))
		update(t, client, setRunning(b, false))
		update(t, client, setRunning(b, true))
	}()
	res, err := Until(ctx, c, all, Condition{Kind: Ready}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Met) != 2 {
		t.Fatalf("met %d, want 2", len(res.Met))
	}
}

func TestTimeoutExplainsEachProcess(t *testing.T) {
	a, b := drunc("a"), drunc("b")
	client, c, ctx := start(t, a, b)
	update(t, client, setRunning(a, true))
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err := Until(short, c, all, Condition{Kind: Ready}, Options{})
	var werr *Error
	if !errors.As(err, &werr) || werr.Reason != Timeout {
		t.Fatalf("err = %v, want a timeout", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "timed out waiting for 1 of 2 processes to be ready") || !strings.Contains(msg, "s/b: Pending") {
		t.Errorf("message does not explain b:\n%s", msg)
	}
}

func TestReadyFailsFastWhenAProcessDies(t *testing.T) {
	a, b := drunc("a"), drunc("b")
	client, c, ctx := start(t, a, b)
	go func() {
		time.Sleep(50 * time.Millisecond)
		update(t, client, setExited(b, 3))
	}()
	t0 := time.Now()
	_, err := Until(ctx, c, all, Condition{Kind: Ready}, Options{})
	var werr *Error
	if !errors.As(err, &werr) || werr.Reason != Died {
		t.Fatalf("err = %v, want Died", err)
	}
	if !strings.Contains(err.Error(), "s/b: Error; exit code 3") {
		t.Errorf("message: %s", err)
	}
	if time.Since(t0) > 5*time.Second {
		t.Errorf("did not fail fast: %s", time.Since(t0))
	}

	// With AllowDead, the same wait goes on until its deadline.
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	_, err = Until(short, c, all, Condition{Kind: Ready}, Options{AllowDead: true})
	if !errors.As(err, &werr) || werr.Reason != Timeout {
		t.Fatalf("with AllowDead err = %v, want a timeout", err)
	}
}

func TestExitCode(t *testing.T) {
	a := drunc("a")
	client, c, ctx := start(t, a)
	update(t, client, setExited(a, 3))
	if _, err := Until(ctx, c, all, Condition{Kind: Exit, Code: 3}, Options{}); err != nil {
		t.Fatalf("exit=3: %v", err)
	}
	_, err := Until(ctx, c, all, Condition{Kind: Exit, Code: 0}, Options{})
	var werr *Error
	if !errors.As(err, &werr) || werr.Reason != Died {
		t.Fatalf("exit=0 on a process that exited 3: %v, want Died at once", err)
	}
	if _, err := Until(ctx, c, all, Condition{Kind: Dead}, Options{}); err != nil {
		t.Fatalf("dead: %v", err)
	}
}

func TestDeletedAndGone(t *testing.T) {
	a, b := drunc("a"), drunc("b")
	client, c, ctx := start(t, a, b)
	go func() {
		time.Sleep(50 * time.Millisecond)
		_ = client.CoreV1().Pods("s").Delete(context.Background(), "a", metav1.DeleteOptions{})
		_ = client.CoreV1().Pods("s").Delete(context.Background(), "b", metav1.DeleteOptions{})
	}()
	res, err := Gone(ctx, c, []*corev1.Pod{a, b})
	if err != nil || len(res.Met) != 2 {
		t.Fatalf("Gone: %v, met %d", err, len(res.Met))
	}
}

func TestEmptySelection(t *testing.T) {
	_, c, ctx := start(t, drunc("a"))
	none := func(*corev1.Pod) bool { return false }
	_, err := Until(ctx, c, none, Condition{Kind: Ready}, Options{})
	var werr *Error
	if !errors.As(err, &werr) || werr.Reason != Empty {
		t.Fatalf("err = %v, want Empty", err)
	}
	if _, err := Until(ctx, c, none, Condition{Kind: Ready}, Options{AllowEmpty: true}); err != nil {
		t.Fatalf("AllowEmpty: %v", err)
	}
}

func TestExpectWaitsForPodsNotYetCached(t *testing.T) {
	client, c, ctx := start(t)
	late := drunc("late")
	go func() {
		time.Sleep(100 * time.Millisecond)
		if _, err := client.CoreV1().Pods("s").Create(context.Background(), late, metav1.CreateOptions{}); err != nil {
			t.Error(err)
		}
		update(t, client, setRunning(late, true))
	}()
	none := func(*corev1.Pod) bool { return false }
	res, err := Until(ctx, c, none, Condition{Kind: Running}, Options{Expect: []types.NamespacedName{{Namespace: "s", Name: "late"}}})
	if err != nil || len(res.Met) != 1 {
		t.Fatalf("Expect: %v, met %v", err, res.Met)
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Condition{"ready": {Kind: Ready}, "running": {Kind: Running}, "dead": {Kind: Dead}, "deleted": {Kind: Deleted}, "exit=3": {Kind: Exit, Code: 3}, "exit=-1": {Kind: Exit, Code: -1}} {
		got, err := Parse(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("Parse(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "Ready", "exit=", "exit=-2", "exit=256", "exit=x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// An exit=N wait reads as one: "can no longer exit with code 0", not "be
// exit=0".
func TestErrorWordsAnExitWait(t *testing.T) {
	v := process.View{Session: "s", Name: "ru-01", Status: "Error"}
	err := &Error{Reason: Died, Result: Result{Condition: Condition{Kind: Exit, Code: 0},
		Unmet: []Unmet{{Session: "s", Name: "ru-01", View: &v, Hopeless: true}, {Session: "s", Name: "ru-02"}}}}
	want := "1 of 2 processes can no longer exit with code 0:\n  s/ru-01: Error\nand 1 not exited with code 0 yet:\n  s/ru-02: not created"
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	err.Reason = Timeout
	if !strings.HasPrefix(err.Error(), "timed out waiting for 2 of 2 processes to exit with code 0:") {
		t.Errorf("timeout: %s", err)
	}
}
