package boot_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	k8stesting "k8s.io/client-go/testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// readyNode is a schedulable, Ready node boot's hosts check accepts.
func readyNode(name string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kubernetes.io/hostname": name}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
}

func writeBootFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "boot.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writes lists the API writes of actions as "verb resource/name".
func writes(actions []k8stesting.Action) []string {
	var out []string
	for _, a := range actions {
		switch a.GetVerb() {
		case "create", "update", "patch", "delete", "deletecollection":
			name := ""
			if c, ok := a.(k8stesting.CreateAction); ok {
				if m, err := meta.Accessor(c.GetObject()); err == nil {
					name = m.GetName()
				}
			}
			out = append(out, a.GetVerb()+" "+a.GetResource().Resource+"/"+name)
		}
	}
	return out
}

// TestBootThroughTheRoot: boot creates the namespace, each process's pod
// and service, and the session record; booted again it creates nothing
// and says what was already running (it completes a session).
func TestBootThroughTheRoot(t *testing.T) {
	cs := vt.Clientset(readyNode("np02-srv-001"))
	// The apiserver makes a new namespace Active; the fake does not.
	cs.PrependReactor("create", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		a.(k8stesting.CreateAction).GetObject().(*corev1.Namespace).Status.Phase = corev1.NamespaceActive
		return false, nil, nil
	})
	file := writeBootFile(t, bootFile("demo", okProcess))
	args := []string{"boot", "-f", file, "--no-probe", "--wait=false"}

	r := vt.Run(t, cs, args...)
	if r.Code != 0 {
		t.Fatalf("boot: %+v", r)
	}
	if !strings.HasPrefix(r.Out, "session/demo booted: 1 processes created") {
		t.Errorf("stdout %q", r.Out)
	}
	got := strings.Join(writes(cs.Actions()), "\n")
	for _, want := range []string{"create namespaces/demo", "create pods/df-01", "create services/df-01", "create configmaps/kubectl-drunc-record"} {
		if !strings.Contains(got, want) {
			t.Errorf("writes lack %q:\n%s", want, got)
		}
	}

	cs.ClearActions()
	r = vt.Run(t, cs, args...)
	if r.Code != 0 || !strings.Contains(r.Out, "0 created, 1 already running") {
		t.Fatalf("second boot: %+v", r)
	}
	for _, w := range writes(cs.Actions()) {
		// (Its namespace create is how it finds the session: AlreadyExists.)
		if strings.Contains(w, "pods/") || strings.Contains(w, "services/") {
			t.Errorf("the second boot wrote %s", w)
		}
	}
}

// TestBootRefusesBeforeAnyRequest: flags are checked in Validate, before the
// file is rendered or the cluster contacted: exit 1, the message names the
// fix, no API request at all.
func TestBootRefusesBeforeAnyRequest(t *testing.T) {
	file := writeBootFile(t, bootFile("demo", okProcess))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", "yaml"}, "add --dry-run=client"},
		{[]string{"--dry-run=server"}, "--dry-run=server is not supported"},
		{[]string{"--dry-run=maybe"}, `--dry-run must be "none" or "client"`},
		{[]string{"--timeout=-1s"}, "--timeout must be 0 or more"},
		{[]string{"--max-in-flight=0"}, "--max-in-flight must be 1 or more"},
		{[]string{"--run-as-user=-5"}, "is not a numeric id (0 or more)"},
		{[]string{"--oks", "x.data.xml", "--session-id", "s"}, "exclusive"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			cs := vt.Clientset(readyNode("np02-srv-001"))
			r := vt.Run(t, cs, append([]string{"boot", "-f", file}, c.args...)...)
			if r.Code != 1 || !strings.Contains(r.Err, c.want) || r.Out != "" {
				t.Errorf("got %+v; want exit 1, %q on stderr, nothing on stdout", r, c.want)
			}
			if n := len(cs.Actions()); n != 0 {
				t.Errorf("%d API requests before the flags were checked: %v", n, cs.Actions())
			}
		})
	}
	r := vt.Run(t, vt.Clientset(), "boot")
	if r.Code != 1 || !strings.Contains(r.Err, "nothing to boot") {
		t.Errorf("boot without a source: %+v", r)
	}
}
