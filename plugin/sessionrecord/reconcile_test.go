package sessionrecord

import (
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func livePod(name, uuid string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-" + name),
		Labels: map[string]string{session.Keys("").UUID(): uuid}}}
}

func TestReconcile(t *testing.T) {
	rec := &Record{Header: &Header{}, Entries: map[string]*Entry{
		"running":  booted("running", "p"),
		"exited":   booted("exited", "p"),
		"killed":   killed("killed", "p"),
		"flushed":  flushed("flushed", "p"),
		"lost":     booted("lost", "p"),
		"replaced": booted("replaced", "p"),
		"back":     killed("back", "p"), // restarted by a terminal whose record write is late
	}}
	pods := []*corev1.Pod{
		livePod("running", "u-running"), livePod("exited", "u-exited"), livePod("replaced", "another"),
		livePod("back", "u-back"), livePod("python", "u-python"),
	}
	var got []string
	for _, r := range Reconcile(rec, pods, session.Keys("")) {
		got = append(got, fmt.Sprintf("%s=%s", r.Name, r.Class))
		if (r.Pod == nil) != (r.Class == ClassKilled || r.Class == ClassLost || r.Class == ClassFlushed) || (r.Entry == nil) != (r.Class == ClassExtra) {
			t.Errorf("%s: pod %v entry %v", r.Name, r.Pod != nil, r.Entry != nil)
		}
	}
	want := "back=Running exited=Running flushed=Flushed killed=Killed lost=Lost python=Extra replaced=Replaced running=Running"
	if strings.Join(got, " ") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

// TestReconcileWithoutRecord: a session booted by drunc's Python manager
// lists its pods, all Extra.
func TestReconcileWithoutRecord(t *testing.T) {
	rs := Reconcile(&Record{Entries: map[string]*Entry{}}, []*corev1.Pod{livePod("b", "1"), livePod("a", "2")}, session.Keys(""))
	if len(rs) != 2 || rs[0].Name != "a" || rs[0].Class != ClassExtra || rs[1].Class != ClassExtra {
		t.Fatalf("%+v", rs)
	}
	if rs := Reconcile(nil, []*corev1.Pod{livePod("a", "1")}, session.Keys("")); len(rs) != 1 || rs[0].Class != ClassExtra {
		t.Fatalf("nil record: %+v", rs)
	}
}

// TestReconcileOtherLabelDomain: a record booted under another label
// domain is not read by a selection in the default one (its pods are not
// seen there, so every entry would read as Lost), and is in its own.
func TestReconcileOtherLabelDomain(t *testing.T) {
	rec := &Record{Header: &Header{LabelDomain: "daq.example.org"}, Entries: map[string]*Entry{"ru-01": booted("ru-01", "p")}}
	if rs := Reconcile(rec, nil, session.Keys("")); len(rs) != 0 {
		t.Errorf("default domain read the other domain's record: %+v", rs)
	}
	if rs := Reconcile(rec, nil, session.Keys("daq.example.org")); len(rs) != 1 || rs[0].Class != ClassLost {
		t.Errorf("own domain: %+v", rs)
	}
}
