package verbtest

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// Record writes a session record into cs listing pods (made with Proc) as
// booted, as boot writes it.
func Record(t testing.TB, cs *fake.Clientset, ns string, pods ...*corev1.Pod) *sessionrecord.Store {
	t.Helper()
	ctx := context.Background()
	st := sessionrecord.New(cs, ns)
	if _, err := st.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "boot.json"}, Processes: len(pods)}); err != nil {
		t.Fatal(err)
	}
	keys := session.Keys("")
	var entries []sessionrecord.Entry
	for _, p := range pods {
		v := process.FromPod(p, keys)
		r := &podspec.Rendered{Process: session.Process{Name: p.Name, UUID: v.UUID, TreeID: p.Labels[keys.TreeID()], Host: p.Spec.NodeName}, Role: v.Role, Pod: p}
		e, err := sessionrecord.NewEntry(r, nil, p.UID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := st.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	return st
}

// Gone deletes the pods from cs, as kill or a kubectl delete does; their
// session's record st then says the ones in killed (name → exit code seen,
// sessionrecord.NoExit if it ran) were killed with kubectl drunc, and the
// others are Lost.
func Gone(t testing.TB, cs *fake.Clientset, st *sessionrecord.Store, killed map[string]int32, pods ...*corev1.Pod) {
	t.Helper()
	ctx := context.Background()
	var changes []sessionrecord.Change
	for _, p := range pods {
		if err := cs.CoreV1().Pods(p.Namespace).Delete(ctx, p.Name, metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		if code, ok := killed[p.Name]; ok {
			changes = append(changes, sessionrecord.KilledChange{Name: p.Name, PodUID: p.UID, ExitCode: code, At: time.Now()})
		}
	}
	if err := st.Apply(ctx, changes...); err != nil {
		t.Fatal(err)
	}
}
