package verbtest

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
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
