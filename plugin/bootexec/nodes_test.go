package bootexec

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/hosts"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func node(name string, ready, cordoned bool) *corev1.Node {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelHostname: name}},
		Spec:       corev1.NodeSpec{Unschedulable: cordoned},
		Status: corev1.NodeStatus{
			Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: status}},
			Addresses:  []corev1.NodeAddress{{Type: corev1.NodeHostName, Address: name}, {Type: corev1.NodeInternalIP, Address: "10.0.0.1"}},
		},
	}
}

// objects renders nothing: the host check only reads names and hosts.
func objects(procs map[string]string) *podspec.Objects {
	o := &podspec.Objects{Namespace: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run1"}}}
	for _, name := range []string{"lcs", "root", "ru-01", "df-01", "df-02"} {
		if host, ok := procs[name]; ok {
			o.Processes = append(o.Processes, podspec.Rendered{Process: session.Process{Name: name, Host: host}})
		}
	}
	return o
}

func TestCheckHostsListsEveryBadHostWithItsProcesses(t *testing.T) {
	client := fake.NewClientset(node("good", true, false), node("sick", false, false), node("cordoned", true, true))
	objs := objects(map[string]string{"lcs": "good", "root": "sick", "ru-01": "cordoned", "df-01": "gone", "df-02": "gone"})
	_, err := checkHosts(context.Background(), client, objs)
	var he *hosts.Error
	if !errors.As(err, &he) {
		t.Fatalf("checkHosts = %v, want a *hosts.Error", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`cannot boot session "run1": 3 host(s) cannot run processes, nothing was created`,
		"cordoned: cordoned (unschedulable) (processes: ru-01); kubectl uncordon cordoned",
		"gone: no such node (processes: df-01, df-02)",
		"sick: NotReady (processes: root)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "good:") {
		t.Errorf("a good host is listed:\n%s", msg)
	}
	for _, a := range client.Actions() {
		if a.GetVerb() != "list" {
			t.Errorf("checkHosts did %s %s; it must only read", a.GetVerb(), a.GetResource().Resource)
		}
	}
}

func TestCheckHostsAddresses(t *testing.T) {
	client := fake.NewClientset(node("a", true, false))
	nodes, err := checkHosts(context.Background(), client, objects(map[string]string{"lcs": "a", "root": "a"}))
	if err != nil {
		t.Fatal(err)
	}
	if addr := procreate.NodeAddress(nodes["a"]); addr != "10.0.0.1" {
		t.Fatalf("address of a = %q, want its InternalIP", addr)
	}
}

func TestCreateNamespaceRefusesLiveSession(t *testing.T) {
	live := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run1"}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	client := fake.NewClientset(live)
	err := createNamespace(context.Background(), client, live.DeepCopy(), 0, nil)
	want := `session "run1" already exists; choose another name or run kubectl drunc terminate -n run1`
	if err == nil || err.Error() != want {
		t.Fatalf("createNamespace of a live session = %v, want %q", err, want)
	}
	for _, a := range client.Actions() {
		if a.GetVerb() != "get" {
			t.Errorf("createNamespace of a live session sent %s %s; it must only read", a.GetVerb(), a.GetResource().Resource)
		}
	}
}

func TestCreateNamespaceCreates(t *testing.T) {
	client := fake.NewClientset()
	// The apiserver makes a namespace Active at creation; the fake does not.
	client.PrependReactor("create", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		ns := a.(k8stesting.CreateAction).GetObject().(*corev1.Namespace).DeepCopy()
		ns.Status.Phase = corev1.NamespaceActive
		return true, ns, nil
	})
	want := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "run2", Labels: map[string]string{"a": "b"}}}
	if err := createNamespace(context.Background(), client, want, 0, nil); err != nil {
		t.Fatal(err)
	}
}
