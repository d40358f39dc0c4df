package selector

import (
	"context"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

func ns(name string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
}

// open completes a selection for -n namespace (or -A when "") and args,
// over cs, and opens it.
func open(t *testing.T, cs *fake.Clientset, namespace string, args ...string) (*Target, error) {
	t.Helper()
	f := cli.NewFactoryWithClients(genericiooptions.NewTestIOStreamsDiscard(), cs, cs, nil)
	s := &Selection{}
	if namespace == "" {
		s.AllNamespaces = true
	} else {
		f.Flags.Namespace = &namespace
	}
	if err := s.Complete(f, args); err != nil {
		t.Fatal(err)
	}
	return s.Open(context.Background(), informers.Config{})
}

func TestOpenExplainsAnEmptySelection(t *testing.T) {
	pods := []runtime.Object{ns("demo"), ns("empty"), pod("ru-01", "0.0", "alice", "u1", nil)}
	pods[2].(*corev1.Pod).Namespace = "demo"
	cs := fake.NewClientset(pods...)

	if _, err := open(t, cs, "nosuch"); err == nil || err.Error() != `session "nosuch" not found: there is no namespace "nosuch" (`+"`kubectl drunc ps -A`"+` lists every session)` {
		t.Errorf("unknown session: %v", err)
	}
	for _, c := range []struct {
		namespace string
		args      []string
		pods      int
		msg       string
	}{
		{"demo", nil, 1, ""},
		{"empty", nil, 0, `No processes found in session "empty".`},
		{"demo", []string{"df"}, 0, `No processes found in session "demo".`},
		{"", []string{"df"}, 0, "No processes found in any session."},
	} {
		tg, err := open(t, cs, c.namespace, c.args...)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if len(tg.Pods) != c.pods || len(tg.Views()) != c.pods || (c.pods == 0 && tg.NoneFound() != c.msg) {
			t.Errorf("%+v: %d pods, message %q", c, len(tg.Pods), tg.NoneFound())
		}
	}
}

// A positional argument naming a session, without -n, earns a hint; with
// -n (or -A) it is a process name like any other.
func TestHintSuggestsTheSession(t *testing.T) {
	cs := fake.NewClientset(ns("demo"), ns("default"))
	f := cli.NewFactoryWithClients(genericiooptions.NewTestIOStreamsDiscard(), cs, cs, nil)
	def := "default"
	f.Flags.Namespace = &def
	s := &Selection{}
	if err := s.Complete(f, []string{"demo"}); err != nil {
		t.Fatal(err)
	}
	s.NamespaceFlag = false // as when the namespace comes from the kubeconfig
	tg, err := s.Open(context.Background(), informers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if want := `No processes found in session "default". "demo" is a session: to select it, give -n demo.`; tg.NoneFound() != want {
		t.Errorf("NoneFound %q, want %q", tg.NoneFound(), want)
	}
	tg, err = open(t, cs, "default", "demo")
	if err != nil || tg.Hint() != "" {
		t.Errorf("with -n: hint %q, err %v", tg.Hint(), err)
	}
}

// Who may not read namespaces is not told their session does not exist.
func TestSessionExistsForbidden(t *testing.T) {
	cs := fake.NewClientset()
	cs.PrependReactor("get", "namespaces", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "x", nil)
	})
	if err := SessionExists(context.Background(), cs, "x"); err != nil {
		t.Errorf("forbidden: %v", err)
	}
	if err := SessionExists(context.Background(), fake.NewClientset(), "x"); err == nil || !strings.Contains(err.Error(), `session "x" not found`) {
		t.Errorf("missing: %v", err)
	}
}

func TestRequireSession(t *testing.T) {
	for _, c := range []struct {
		all, n bool
		want   string
	}{
		{false, false, "terminate needs the session: give -n SESSION"},
		{true, true, "give -n SESSION or -A, not both"},
		{true, false, ""},
		{false, true, ""},
	} {
		s := &Selection{Options: Options{AllNamespaces: c.all}, NamespaceFlag: c.n}
		err := s.RequireSession("terminate")
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: %v", c, err)
		}
	}
}
