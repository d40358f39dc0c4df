package restart_test

import (
	"context"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// recorded is a session demo whose record lists ru-01 and df-01, both
// with a pod.
func recorded(t *testing.T) (*fake.Clientset, *sessionrecord.Store) {
	ru, df := vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "df-01", "0.1", "u2")
	cs := vt.Clientset(vt.Node("node-1"), vt.Namespace("demo"), ru.DeepCopy(), df.DeepCopy())
	return cs, vt.Record(t, cs, "demo", ru, df)
}

func state(t *testing.T, st *sessionrecord.Store, name string) *sessionrecord.Entry {
	t.Helper()
	rec, err := st.Read(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e := rec.Entry(name)
	if e == nil {
		t.Fatalf("%s is no longer in the record", name)
	}
	return e
}

// kill keeps the record, marked Killed with drunc's -1; status shows it
// Killed; restart creates it again with its uuid; the record says Booted.
func TestKillStatusRestartFromRecord(t *testing.T) {
	cs, st := recorded(t)
	if r := vt.Run(t, cs, "kill", "-n", "demo", "^ru-01$", "--timeout=5s"); r.Code != 0 || strings.Contains(r.Err, "Warning") {
		t.Fatalf("kill: %+v", r)
	}
	if e := state(t, st, "ru-01"); e.State != sessionrecord.StateKilled || e.ExitCode == nil || *e.ExitCode != sessionrecord.NoExit {
		t.Fatalf("ru-01 after kill: %+v, want Killed with exit -1", e)
	}
	if e := state(t, st, "df-01"); e.State != sessionrecord.StateBooted {
		t.Errorf("df-01 was not killed, but the record says %s", e.State)
	}
	if r := vt.Run(t, cs, "status", "-n", "demo"); r.Code != 1 || !strings.Contains(r.Out, "Killed") {
		t.Errorf("status must show ru-01 Killed (exit 1): %+v", r)
	}

	r := vt.Run(t, cs, "restart", "-n", "demo", "^ru-01$", "--wait=false")
	if r.Code != 0 {
		t.Fatalf("restart of a killed process: %+v", r)
	}
	pod, err := cs.CoreV1().Pods("demo").Get(context.Background(), "ru-01", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("ru-01 not created again: %v", err)
	}
	if got := pod.Labels[session.Keys("").UUID()]; got != "u1" {
		t.Errorf("ru-01 came back with uuid %q, want u1", got)
	}
	if e := state(t, st, "ru-01"); e.State != sessionrecord.StateBooted {
		t.Errorf("ru-01 after restart: %s, want Booted", e.State)
	}
	if !strings.Contains(r.Err, "recreated from its session record") {
		t.Errorf("progress must say where ru-01 came from: %q", r.Err)
	}
}

// flush forgets a killed process (printed with its exit code); restart
// still brings it back.
func TestFlushForgetsKilled(t *testing.T) {
	cs, st := recorded(t)
	if r := vt.Run(t, cs, "kill", "-n", "demo", "^ru-01$", "--timeout=5s"); r.Code != 0 {
		t.Fatalf("kill: %+v", r)
	}
	r := vt.Run(t, cs, "flush", "-n", "demo", "ru-01")
	if r.Code != 0 || !strings.Contains(r.Out, "ru-01") || !strings.Contains(r.Out, "Flushed") || !strings.Contains(r.Out, "-1") {
		t.Fatalf("flush must list ru-01 Flushed with exit -1: %+v", r)
	}
	if e := state(t, st, "ru-01"); e.State != sessionrecord.StateFlushed {
		t.Errorf("ru-01 after flush: %s, want Flushed", e.State)
	}
	if r := vt.Run(t, cs, "status", "-n", "demo"); r.Code != 0 {
		t.Errorf("status after flush: only df-01, Ready: %+v", r)
	}
	if r := vt.Run(t, cs, "restart", "-n", "demo", "^ru-01$", "--wait=false"); r.Code != 0 {
		t.Errorf("restart of a flushed process: %+v", r)
	}
}

// A recorded process whose pod was deleted another way is Lost, not Killed.
func TestLost(t *testing.T) {
	cs, _ := recorded(t)
	if err := cs.CoreV1().Pods("demo").Delete(context.Background(), "df-01", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	r := vt.Run(t, cs, "status", "-n", "demo")
	if r.Code != 1 || !strings.Contains(r.Out, "Lost") || strings.Contains(r.Out, "Killed") {
		t.Errorf("status must show df-01 Lost: %+v", r)
	}
}

// Without a record (drunc's Python manager) kill works as ever and
// writes nothing; restart of a killed process finds nothing.
func TestNoRecord(t *testing.T) {
	cs := vt.Clientset(vt.Node("node-1"), vt.Namespace("demo"), vt.Proc("demo", "ru-01", "0.0", "u1"))
	if r := vt.Run(t, cs, "kill", "-n", "demo", "ru-01", "--timeout=5s"); r.Code != 0 || r.Err != "" && strings.Contains(r.Err, "Warning") {
		t.Fatalf("kill: %+v", r)
	}
	for _, a := range cs.Actions() {
		if a.GetResource().Resource == "configmaps" && a.GetVerb() != "get" {
			t.Errorf("kill of a session without a record wrote %s %s", a.GetVerb(), a.GetResource().Resource)
		}
	}
	if r := vt.Run(t, cs, "restart", "-n", "demo", "ru-01"); r.Code == 0 {
		t.Errorf("restart of a killed process without a record must fail: %+v", r)
	}
}
