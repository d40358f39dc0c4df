// Package verbtest runs kubectl drunc's root command in-process over fake
// clientsets, for the verbs' table tests: flags, validation, errors, exit
// codes and output, without a cluster.
package verbtest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Result is what one command line did.
type Result struct {
	Code     int
	Out, Err string
}

// kubeconfig is a context whose namespace is "default" and whose server is
// never dialled (the clients are fakes).
const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
current-context: x
`

// Run executes `kubectl drunc ARGS...` over cs (typed and watch client).
func Run(t testing.TB, cs *fake.Clientset, args ...string) Result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, []byte(kubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	streams := genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	f := cli.NewFactoryWithClients(streams, cs, cs, nil)
	code := plugin.ExecuteWithFactory(f, append([]string{"--kubeconfig", path}, args...))
	return Result{Code: code, Out: out.String(), Err: errOut.String()}
}

// Clientset is a fake clientset holding objs.
func Clientset(objs ...runtime.Object) *fake.Clientset { return fake.NewClientset(objs...) }

// Node is a Ready node (Proc pins to "node-1"); mutate changes it, e.g.
// to cordon it.
func Node(name string, mutate ...func(*corev1.Node)) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelHostname: name}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
	for _, m := range mutate {
		m(n)
	}
	return n
}

// Namespace is a session's namespace, labelled as boot labels it.
func Namespace(name string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name,
		Labels: map[string]string{session.Keys("").Creator(): session.CreatorValue}}}
}

// Proc is a drunc process pod: Running and Ready unless changed by opts.
func Proc(ns, name, tree, uuid string, opts ...func(*corev1.Pod)) *corev1.Pod {
	k := session.Keys("")
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: types.UID(ns + "-" + name),
			Labels: map[string]string{k.Creator(): session.CreatorValue, k.UUID(): uuid, k.TreeID(): tree, session.AppLabel: name}},
		Spec: corev1.PodSpec{NodeName: "node-1", Containers: []corev1.Container{{Name: name, Image: "drunc"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning,
			Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Exited makes a process one that exited with code.
func Exited(code int32) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		phase := corev1.PodFailed
		if code == 0 {
			phase = corev1.PodSucceeded
		}
		p.Status.Phase = phase
		p.Status.Conditions = nil
		p.Status.ContainerStatuses[0].Ready = false
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code}}
	}
}

// Role sets the role label.
func Role(r session.Role) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Labels[session.Keys("").Role()] = string(r) }
}
