package terminate_test

import (
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func sessions() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("other"), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "default"}},
		vt.Proc("demo", "root-controller", "0", "u0"), vt.Proc("demo", "ru-01", "0.0", "u1"),
		vt.Proc("other", "root-controller", "0", "u2"))
}

// deletions lists "namespace/name" of deleted pods and "ns:name" of
// deleted namespaces, sorted.
func deletions(cs *fake.Clientset) string {
	var out []string
	for _, a := range cs.Actions() {
		d, ok := a.(k8stesting.DeleteActionImpl)
		if !ok {
			continue
		}
		switch d.GetResource().Resource {
		case "pods":
			out = append(out, d.GetNamespace()+"/"+d.GetName())
		case "namespaces":
			out = append(out, "ns:"+d.GetName())
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// terminate selects whole sessions: -n's only, or every one with -A.
func TestTerminateSelection(t *testing.T) {
	for _, c := range []struct{ args, want string }{
		{"terminate -n demo --wait=false", "demo/root-controller demo/ru-01 ns:demo"},
		{"terminate -A --wait=false", "demo/root-controller demo/ru-01 ns:demo ns:other other/root-controller"},
	} {
		cs := sessions()
		r := vt.Run(t, cs, strings.Fields(c.args)...)
		if r.Code != 0 {
			t.Fatalf("%s: %+v", c.args, r)
		}
		if got := deletions(cs); got != c.want {
			t.Errorf("%s deleted %q, want %q", c.args, got, c.want)
		}
	}
}

func TestTerminateRefuses(t *testing.T) {
	for _, c := range []struct{ name, args, stderr string }{
		{"no session", "terminate", "terminate needs the session: give -n SESSION"},
		{"both", "terminate -n demo -A", "give -n SESSION or -A, not both"},
		{"names", "terminate -n demo ru-01", `unknown command "ru-01"`},
		{"unknown session", "terminate -n nosuch", `session "nosuch" not found`},
		{"force with a grace period", "terminate -n demo --force --grace-period=3", "give --force or --grace-period, not both"},
		{"bad label domain", "terminate -n demo --drunc-label=a/b", "--drunc-label"},
		{"negative timeout", "terminate -n demo --timeout=-1s", "--timeout=-1s must not be negative"},
		{"no session there", "terminate -n default", `namespace "default" is no drunc session (no creator.drunc.daq label) and runs no drunc process: nothing to terminate`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs := sessions()
			r := vt.Run(t, cs, strings.Fields(c.args)...)
			if r.Code != 1 || !strings.Contains(r.Err, c.stderr) {
				t.Errorf("code %d, stderr %q; want 1 and %q", r.Code, r.Err, c.stderr)
			}
			if got := deletions(cs); got != "" {
				t.Errorf("deleted %s", got)
			}
		})
	}
}
