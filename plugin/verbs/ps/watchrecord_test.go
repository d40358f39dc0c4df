package ps_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/syncbuf"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// watching is `kubectl drunc ps -w ...` running in-process over a fake
// clientset until the test ends.
type watching struct {
	out, errOut *syncbuf.Buffer
	seen        int // lines of out already matched by next
}

func startWatch(t *testing.T, cs *fake.Clientset, args ...string) *watching {
	t.Helper()
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
current-context: x
`), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &watching{out: &syncbuf.Buffer{}, errOut: &syncbuf.Buffer{}}
	f := cli.NewFactoryWithClients(genericiooptions.IOStreams{In: strings.NewReader(""), Out: w.out, ErrOut: w.errOut}, cs, cs, nil)
	cmd := plugin.NewCmdWithFactory(f)
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfig, "ps", "-w"}, args...))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ps -w: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Errorf("ps -w did not end on cancel")
		}
	})
	return w
}

// next waits (bounded) for the next line holding every want, and returns
// the lines printed before it since the last match.
func (w *watching) next(t *testing.T, want ...string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		lines := strings.Split(strings.TrimRight(w.out.String(), "\n"), "\n")
		for i := w.seen; i < len(lines); i++ {
			all := true
			for _, s := range want {
				all = all && strings.Contains(lines[i], s)
			}
			if all {
				before := lines[w.seen:i]
				w.seen = i + 1
				return before
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line with %q; output:\n%s\nstderr:\n%s", want, w.out.String(), w.errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// quiet checks that nothing more was printed for a while.
func (w *watching) quiet(t *testing.T, what string) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	lines := strings.Split(strings.TrimRight(w.out.String(), "\n"), "\n")
	if len(lines) > w.seen {
		t.Errorf("%s printed %q", what, lines[w.seen:])
	}
}

// booted is session demo of four processes, recorded as boot records it.
func booted(t *testing.T) (*fake.Clientset, *sessionrecord.Store, []*corev1.Pod) {
	pods := []*corev1.Pod{
		vt.Proc("demo", "root-controller", "0", "u0", vt.Role(session.RoleRootController)),
		vt.Proc("demo", "ru-01", "0.0", "u1"),
		vt.Proc("demo", "ru-02", "0.1", "u2"),
		vt.Proc("demo", "ru-03", "0.2", "u3"),
	}
	cs := vt.Clientset(vt.Namespace("demo"), pods[0], pods[1], pods[2], pods[3])
	return cs, vt.Record(t, cs, "demo", pods...), pods
}

func deletePod(t *testing.T, cs *fake.Clientset, name string) {
	t.Helper()
	if err := cs.CoreV1().Pods("demo").Delete(context.Background(), name, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
}

func apply(t *testing.T, st *sessionrecord.Store, changes ...sessionrecord.Change) {
	t.Helper()
	if err := st.Apply(context.Background(), changes...); err != nil {
		t.Fatal(err)
	}
}

// A killed process ends its pod's row on Deleted and comes back Killed
// (-1) when kill records it, or at once when the record was ahead of the
// pods; flush ends it on Flushed; nothing is printed twice.
func TestWatchFollowsKillAndFlush(t *testing.T) {
	cs, st, pods := booted(t)
	w := startWatch(t, cs, "-n", "demo", "--output-watch-events")
	w.next(t, "ADDED", "ru-03", "Running")

	deletePod(t, cs, "ru-01")
	w.next(t, "DELETED", "ru-01", "Deleted")
	apply(t, st, sessionrecord.KilledChange{Name: "ru-01", PodUID: pods[1].UID, ExitCode: sessionrecord.NoExit, At: time.Now()})
	w.next(t, "ADDED", "ru-01", "Killed", "-1")

	// The record first, then the pod: nothing until the pod is gone.
	apply(t, st, sessionrecord.KilledChange{Name: "ru-02", PodUID: pods[2].UID, ExitCode: 3, At: time.Now()})
	w.quiet(t, "a kill recorded before its pod is deleted")
	deletePod(t, cs, "ru-02")
	w.next(t, "DELETED", "ru-02", "Deleted")
	w.next(t, "ADDED", "ru-02", "Killed", " 3 ")

	apply(t, st, sessionrecord.FlushedChange{Name: "ru-01", PodUID: pods[1].UID, At: time.Now()})
	if before := w.next(t, "DELETED", "ru-01", "Flushed"); len(before) > 0 {
		t.Errorf("the flush printed %q before its line", before)
	}
	w.quiet(t, "after the flush")
}

// A pod deleted another way is Lost once the record changes; a restart
// whose record is written before its pod arrives never shows Lost, and
// its new pod takes the Killed row over (MODIFIED).
func TestWatchLostAndRestart(t *testing.T) {
	cs, st, pods := booted(t)
	w := startWatch(t, cs, "-n", "demo", "--output-watch-events")
	w.next(t, "ADDED", "ru-03", "Running")

	deletePod(t, cs, "ru-03")
	w.next(t, "DELETED", "ru-03", "Deleted")
	deletePod(t, cs, "ru-01")
	w.next(t, "DELETED", "ru-01", "Deleted")
	apply(t, st, sessionrecord.KilledChange{Name: "ru-01", PodUID: pods[1].UID, ExitCode: sessionrecord.NoExit, At: time.Now()})
	before := w.next(t, "ru-01", "Killed")
	w.next(t, "ADDED", "ru-03", "Lost")
	if len(before) > 0 {
		t.Errorf("lines before Killed: %q", before)
	}

	// restart: the record names the new pod before it exists.
	apply(t, st, sessionrecord.BootedChange{Name: "ru-01", PodUID: "new-ru-01", At: time.Now()})
	w.quiet(t, "a restart recorded before its pod")
	again := vt.Proc("demo", "ru-01", "0.0", "u1")
	again.UID = "new-ru-01"
	if _, err := cs.CoreV1().Pods("demo").Create(context.Background(), again, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	w.next(t, "MODIFIED", "ru-01", "Running")
}

// Without the right to list configmaps ps -w warns and follows the pods
// only; a session without a record is followed as ever, without warning.
func TestWatchWithoutRecord(t *testing.T) {
	cs, _, _ := booted(t)
	cs.PrependReactor("list", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "", nil)
	})
	w := startWatch(t, cs, "-n", "demo")
	w.next(t, "ru-03", "Running")
	if !strings.Contains(w.errOut.String(), "Warning: killed and lost processes are not shown, only pods") {
		t.Errorf("no warning: %q", w.errOut.String())
	}
	deletePod(t, cs, "ru-01")
	w.next(t, "ru-01", "Deleted")

	python := vt.Clientset(vt.Namespace("py"), vt.Proc("py", "ru-01", "0.0", "u1"))
	p := startWatch(t, python, "-n", "py")
	p.next(t, "ru-01", "Running")
	if err := python.CoreV1().Pods("py").Delete(context.Background(), "ru-01", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	p.next(t, "ru-01", "Deleted")
	p.quiet(t, "a session without record")
	if p.errOut.String() != "" {
		t.Errorf("stderr: %q", p.errOut.String())
	}
}
