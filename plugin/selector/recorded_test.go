package selector

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// recordOf is a record of the pods, each in state; its header names the
// label domain.
func recordOf(t *testing.T, domain string, states map[string]sessionrecord.State, pods ...*corev1.Pod) *sessionrecord.Record {
	t.Helper()
	rec := &sessionrecord.Record{Header: &sessionrecord.Header{LabelDomain: domain}, Entries: map[string]*sessionrecord.Entry{}}
	for _, p := range pods {
		spec, err := json.Marshal(map[string]any{"pod": p})
		if err != nil {
			t.Fatal(err)
		}
		rec.Entries[p.Name] = &sessionrecord.Entry{Name: p.Name, UUID: p.Labels[session.Keys("").UUID()], Spec: spec,
			State: states[p.Name], PodUID: types.UID("uid-" + p.Name)}
	}
	return rec
}

// RecordedOf keeps the recorded processes without a pod, of the classes
// asked and matched by the selection as their live pods would be; a
// process with a pod, a record of another label domain and an unreadable
// spec give none (the last is named in the error).
func TestRecordedOf(t *testing.T) {
	root := pod("root-controller", "0", "alice", "u0", nil)
	killed := pod("ru-01", "0.0.0", "alice", "u1", map[string]string{"tier": "readout"})
	lost := pod("ru-02", "0.0.1", "bob", "u2", map[string]string{"tier": "readout"})
	flushed := pod("df-01", "0.0.2", "alice", "u3", nil)
	states := map[string]sessionrecord.State{"root-controller": sessionrecord.StateBooted, "ru-01": sessionrecord.StateKilled,
		"ru-02": sessionrecord.StateBooted, "df-01": sessionrecord.StateFlushed}
	rec := recordOf(t, "", states, root, killed, lost, flushed)
	live := []*corev1.Pod{root}
	killedOrLost := []sessionrecord.Class{sessionrecord.ClassKilled, sessionrecord.ClassLost}

	for _, c := range []struct {
		opts    Options
		classes []sessionrecord.Class
		want    string
	}{
		{Options{}, killedOrLost, "ru-01:Killed ru-02:Lost"},
		{Options{}, []sessionrecord.Class{sessionrecord.ClassFlushed}, "df-01:Flushed"},
		{Options{Users: []string{"bob"}}, killedOrLost, "ru-02:Lost"},
		{Options{Selector: "tier=readout", Names: []string{"01"}}, killedOrLost, "ru-01:Killed"},
		{Options{Names: []string{"root"}}, killedOrLost, ""}, // it has a pod
	} {
		sel, err := c.opts.Compile(session.Keys(""))
		if err != nil {
			t.Fatal(err)
		}
		found, err := sel.RecordedOf("s", rec, live, c.classes...)
		var got []string
		for _, rp := range found {
			if rp.Session != "s" || rp.Recorded.Name != rp.Name || rp.Recorded.Namespace != "s" {
				t.Errorf("%+v: recorded pod %s/%s for %s", c.opts, rp.Recorded.Namespace, rp.Recorded.Name, rp.Name)
			}
			got = append(got, rp.Name+":"+string(rp.Class))
		}
		if strings.Join(got, " ") != c.want || err != nil {
			t.Errorf("%+v %v: %q, %v; want %q", c.opts, c.classes, got, err, c.want)
		}
		one, ok, err := sel.RecordedOne("s", rec, "ru-01", nil, c.classes...)
		if wantOne := strings.Contains(c.want, "ru-01:"); ok != wantOne || err != nil || ok && one.Class != sessionrecord.ClassKilled {
			t.Errorf("%+v: RecordedOne(ru-01) = %+v, %v, %v", c.opts, one, ok, err)
		}
	}

	all, _ := (&Options{}).Compile(session.Keys(""))
	if found, _ := all.RecordedOf("s", recordOf(t, "example.org", states, killed), nil, killedOrLost...); len(found) != 0 {
		t.Errorf("a record of another label domain gave %d processes", len(found))
	}
	bad := recordOf(t, "", states, killed)
	bad.Entries["ru-01"].Spec = []byte(`{"pod":`)
	if found, err := all.RecordedOf("s", bad, nil, killedOrLost...); len(found) != 0 || err == nil || !strings.Contains(err.Error(), "ru-01") {
		t.Errorf("an unreadable spec: %d processes, %v", len(found), err)
	}
}

// Merged lists the recorded processes among the live ones in tree order,
// each shown dead with its recorded status (Killed with its exit code,
// Lost without one), the live ones as they are; the selection applies to
// both.
func TestMerged(t *testing.T) {
	root := pod("root-controller", "0", "alice", "u0", nil)
	killed := pod("ru-01", "0.0", "alice", "u1", nil)
	live := pod("ru-02", "0.1", "alice", "u2", nil)
	lost := pod("ru-03", "0.2", "alice", "u3", nil)
	states := map[string]sessionrecord.State{"ru-01": sessionrecord.StateKilled, "ru-03": sessionrecord.StateBooted}
	rec := recordOf(t, "", states, killed, lost)
	keys := session.Keys("")
	for _, c := range []struct {
		names []string
		want  string
	}{
		{nil, "root-controller: ru-01:Killed(-1) ru-02: ru-03:Lost"}, // the live pods have no status here
		{[]string{"ru-0[13]"}, "ru-01:Killed(-1) ru-03:Lost"},
	} {
		sel, err := (&Options{Names: c.names}).Compile(keys)
		if err != nil {
			t.Fatal(err)
		}
		livePods := []*corev1.Pod{root, live}
		found, err := sel.RecordedOf("s", rec, livePods, sessionrecord.ClassKilled, sessionrecord.ClassLost)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range Merged(livePods, found, keys, sel.Matches) {
			s := v.Name + ":" + v.Status
			if v.Exit != nil {
				s += fmt.Sprintf("(%d)", *v.Exit)
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("names %v: %q, want %q", c.names, got, c.want)
		}
	}
}
