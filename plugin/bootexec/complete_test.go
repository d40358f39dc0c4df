package bootexec

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// renderRun1 renders session run1 (a root controller and two
// applications on node a), app-001 run with extra arguments.
func renderRun1(t *testing.T, extra ...string) *podspec.Objects {
	t.Helper()
	s := &session.Session{Name: "run1", User: "alice"}
	for i, name := range []string{"root-controller", "app-000", "app-001"} {
		p := session.Process{Name: name, Host: "a", UUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), TreeID: []string{"0", "0.0", "0.1"}[i],
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

// bootedRun1 is a fake cluster where run1 was booted from run1.yaml: its
// namespace, pods, services and record.
func bootedRun1(t *testing.T) *fake.Clientset {
	t.Helper()
	ctx := context.Background()
	objs := renderRun1(t)
	client := fake.NewClientset(node("a", true, false), objs.Namespace)
	// The apiserver gives each pod a UID; the fake does not.
	var made atomic.Int32
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
		p.UID = types.UID(fmt.Sprintf("%s-%d", p.Name, made.Add(1)))
		return false, nil, nil
	})
	store := sessionrecord.New(client, "run1")
	if _, err := store.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "run1.yaml"}, Digest: sessionrecord.Digest(objs), Processes: 3}); err != nil {
		t.Fatal(err)
	}
	var entries []sessionrecord.Entry
	for i := range objs.Processes {
		r := &objs.Processes[i]
		pod, err := client.CoreV1().Pods("run1").Create(ctx, r.Pod, metav1.CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		svc := r.Service.DeepCopy()
		podspec.OwnService(svc, pod)
		if _, err := client.CoreV1().Services("run1").Create(ctx, svc, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		e, err := sessionrecord.NewEntry(r, nil, pod.UID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := store.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	client.ClearActions()
	return client
}

// TestBootOfChangedSessionWritesNothing: a boot whose configuration
// changed a running process stops with ChangedError naming it, and sends
// no write at all: not even a create of the namespace or of the record
// refused as AlreadyExists.
func TestBootOfChangedSessionWritesNothing(t *testing.T) {
	client := bootedRun1(t)
	_, err := Run(context.Background(), Config{Client: client, Objects: renderRun1(t, "--verbose"), Source: sessionrecord.Source{BootFile: "run1.yaml"}})
	var changed *ChangedError
	if !errors.As(err, &changed) || len(changed.Report.Changed) != 1 || changed.Report.Changed[0].Name != "app-001" {
		t.Fatalf("Run = %v, want a ChangedError naming app-001 only", err)
	}
	for _, a := range client.Actions() {
		switch a.GetVerb() {
		case "get", "list", "watch":
		default:
			t.Errorf("the refused boot sent %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
}
