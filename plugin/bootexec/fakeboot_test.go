package bootexec

import (
	"context"
	"fmt"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// renderRun1 renders session run1, three applications on node a (no
// gate to wait for), app-001 run with extra arguments.
func renderRun1(t *testing.T, extra ...string) *podspec.Objects {
	t.Helper()
	s := &session.Session{Name: "run1", User: "alice"}
	for i := range 3 {
		name := fmt.Sprintf("app-%03d", i)
		p := session.Process{Name: name, Host: "a", UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), TreeID: fmt.Sprintf("0.%d", i),
			Executables: []session.Executable{{Exec: "daq_application", Args: []string{"-n", name}}}}
		if name == "app-001" {
			p.Executables[0].Args = append(p.Executables[0].Args, extra...)
		}
		s.Processes = append(s.Processes, p)
	}
	objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// bootRun1 boots run1 from run1.yaml, as configured, without waiting.
func bootRun1(t *testing.T, client *fake.Clientset) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := Run(ctx, Config{Client: client, Objects: renderRun1(t), Source: sessionrecord.Source{BootFile: "run1.yaml"}, Timeout: 15 * time.Second})
	if err != nil {
		t.Fatalf("boot of run1: %v\n%+v", err, res)
	}
	return res
}

// bootedRun1 is a fake cluster where run1 was booted, its actions
// cleared.
func bootedRun1(t *testing.T) *fake.Clientset {
	t.Helper()
	client := fake.NewClientset(node("a", true, false))
	apiserverLike(client)
	if res := bootRun1(t, client); res.Count(Created) != 3 {
		t.Fatalf("first boot of run1 created %d processes: %+v", res.Count(Created), res.Processes)
	}
	client.ClearActions()
	return client
}

func getPod(t *testing.T, client *fake.Clientset, name string) *corev1.Pod {
	t.Helper()
	p, err := client.CoreV1().Pods("run1").Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
