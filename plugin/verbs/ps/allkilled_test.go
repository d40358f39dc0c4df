package ps_test

import (
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// allKilled is session "gone", whose two processes were both killed (no
// pod left, only its record), next to session demo, booted and running.
func allKilled(t *testing.T) *fake.Clientset {
	t.Helper()
	ru1, ru2 := vt.Proc("gone", "ru-01", "0.0", "g1"), vt.Proc("gone", "ru-02", "0.1", "g2")
	root := vt.Proc("demo", "root-controller", "0", "d0", vt.Role(session.RoleRootController))
	cs := vt.Clientset(vt.Namespace("gone"), vt.Namespace("demo"), ru1, ru2, root)
	st := vt.Record(t, cs, "gone", ru1, ru2)
	vt.Record(t, cs, "demo", root)
	vt.Gone(t, cs, st, map[string]int32{"ru-01": sessionrecord.NoExit, "ru-02": 0}, ru1, ru2)
	return cs
}

// rows are a table's rows by their first two columns.
func rows(out string) map[string][]string {
	m := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		if len(f) > 1 {
			m[f[0]+" "+f[1]] = f
		}
	}
	return m
}

// -A finds a session whose every process was killed by its record, with
// ONE list of the records of every session (no read per session); ps and
// status show it, and -n it works.
func TestAllKilledSessionIsFound(t *testing.T) {
	cs := allKilled(t)
	cs.ClearActions()
	r := vt.Run(t, cs, "ps", "-A")
	got := rows(r.Out)
	// SESSION NAME ROLE HOST STATUS EXIT
	if f := got["gone ru-01"]; r.Code != 0 || len(f) < 6 || f[4] != "Killed" || f[5] != "-1" {
		t.Errorf("ps -A: gone ru-01 %q\n%+v", f, r)
	}
	if f := got["gone ru-02"]; len(f) < 6 || f[4] != "Killed" || f[5] != "0" {
		t.Errorf("ps -A: gone ru-02 %q\n%s", f, r.Out)
	}
	if f := got["demo root-controller"]; len(f) < 5 || f[4] != "Running" {
		t.Errorf("ps -A: demo root-controller %q\n%s", f, r.Out)
	}
	lists, gets := 0, 0
	for _, a := range cs.Actions() {
		switch {
		case a.GetResource().Resource != "configmaps":
		case a.GetVerb() == "list" && a.GetNamespace() == "":
			lists++
		case a.GetVerb() == "list", a.GetVerb() == "get":
			gets++
		}
	}
	if lists != 1 || gets != 0 {
		t.Errorf("ps -A read the records with %d cluster-wide lists and %d other reads, want 1 and 0", lists, gets)
	}

	s := vt.Run(t, cs, "status", "-A")
	if s.Code != 1 || !strings.Contains(s.Out, "gone") || !strings.Contains(s.Out, "Killed") {
		t.Errorf("status -A: %+v", s)
	}
	n := vt.Run(t, cs, "ps", "-n", "gone")
	if names(n.Out) != "ru-01 ru-02" || n.Code != 0 || n.Err != "" {
		t.Errorf("ps -n gone: %+v", n)
	}
	if s := vt.Run(t, cs, "status", "-n", "gone"); s.Code != 1 || strings.Contains(s.Err, "not found") || !strings.Contains(s.Out, "Killed") {
		t.Errorf("status -n gone: %+v", s)
	}
}

// Without the right to list configmaps, ps reads each session's record
// (GETs), silently, as it did before records were listed.
func TestRecordIsReadWithoutList(t *testing.T) {
	cs := allKilled(t)
	cs.PrependReactor("list", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "", nil)
	})
	r := vt.Run(t, cs, "ps", "-n", "gone")
	if names(r.Out) != "ru-01 ru-02" || r.Code != 0 || r.Err != "" {
		t.Errorf("ps -n gone without list: %+v", r)
	}
	a := vt.Run(t, cs, "ps", "-A")
	if _, ok := rows(a.Out)["demo root-controller"]; !ok || a.Code != 0 || a.Err != "" {
		t.Errorf("ps -A without list: %+v", a)
	}
}
