package lifecycle

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// gatedPods are an LCS, a root controller and an application, each with a
// container (restart recreates them from their pod specs).
func gatedPods() []*corev1.Pod {
	pods := []*corev1.Pod{
		pod("s", "local-connection-server", "1", session.RoleInfrastructure),
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "app", "0.0", session.RoleApplication),
	}
	for _, p := range pods {
		p.Spec.Containers = []corev1.Container{{Name: p.Name, Image: "x"}}
	}
	return pods
}

// steps records, in order, the creates of pods and when a test made one Ready.
type steps struct {
	mu  sync.Mutex
	got []string
}

func (s *steps) add(step string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = append(s.got, step)
}

func (s *steps) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

// markReady makes the pod Running and Ready, as a kubelet would.
func markReady(c *fake.Clientset, name string) error {
	p, err := c.CoreV1().Pods("s").Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	p.Status = corev1.PodStatus{Phase: corev1.PodRunning,
		Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
		ContainerStatuses: []corev1.ContainerStatus{{Name: name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}
	_, err = c.CoreV1().Pods("s").UpdateStatus(context.Background(), p, metav1.UpdateOptions{})
	return err
}

// readyLater makes the pods named in ready Ready a moment after they are
// created, and records each create and each Ready.
func readyLater(t *testing.T, c *fake.Clientset, s *steps, ready ...string) {
	c.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		name := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod).Name
		s.add("create " + name)
		for _, r := range ready {
			if r == name {
				go func() {
					time.Sleep(100 * time.Millisecond) // the create returns first
					s.add("ready " + name)
					if err := markReady(c, name); err != nil {
						t.Errorf("making %s Ready: %v", name, err)
					}
				}()
			}
		}
		return false, nil, nil
	})
}

// TestRestartCreatesBehindGatesOnceTheyAreUp: as boot, the root controller
// is created once the connection server is Ready, the application once the
// root controller is, even without --wait.
func TestRestartCreatesBehindGatesOnceTheyAreUp(t *testing.T) {
	c, cache := fakeSession(t, gatedPods()...)
	var s steps
	readyLater(t, c, &s, "local-connection-server", "root-controller")
	var progress bytes.Buffer
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second, Progress: &progress}, cache.Pods(),
		RestartOptions{ReadyTimeout: 10 * time.Second})
	if err != nil || res.Err() != nil {
		t.Fatalf("Restart = %v, %v", err, res.Err())
	}
	want := []string{"create local-connection-server", "ready local-connection-server", "create root-controller", "ready root-controller", "create app"}
	if got := s.list(); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps %q, want %q", got, want)
	}
	for _, line := range []string{"waiting for the local connection server s/local-connection-server to be Ready", "the root controller s/root-controller is up"} {
		if !strings.Contains(progress.String(), line) {
			t.Errorf("progress lacks %q:\n%s", line, progress.String())
		}
	}
}

// TestRestartGateThatFailsCreatesNothingBehindIt: a root controller that
// does not become Ready in time leaves what needs it uncreated (and
// killed), each process named, and the gate's failure said once.
func TestRestartGateThatFailsCreatesNothingBehindIt(t *testing.T) {
	c, cache := fakeSession(t, gatedPods()...)
	var s steps
	readyLater(t, c, &s, "local-connection-server")
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second}, cache.Pods(),
		RestartOptions{Wait: true, ReadyTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range s.list() {
		if step == "create app" {
			t.Fatalf("the application was created behind a root controller that is not Ready: %q", s.list())
		}
	}
	msg := res.Err().Error()
	for _, want := range []string{
		"the root controller s/root-controller is not Ready, so nothing behind it was created",
		"s/app not restarted: not created: it needs the root controller s/root-controller, which is not up",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "s/root-controller: ") != 1 {
		t.Errorf("the root controller's state is not said exactly once (the final wait must not wait for it again):\n%s", msg)
	}
}
