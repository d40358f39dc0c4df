package sessionrecord

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// TestRecordOutlivesPods: with only the shipped rules, a session without
// a record reads as "no record"; once pods are created and recorded, the
// record keeps a killed pod and a pod deleted behind its back, and
// Reconcile tells them apart from the running ones and from a pod nobody
// recorded; the recorded spec is what was created.
func TestRecordOutlivesPods(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "record")
	grantShippedRules(t, tc, ns, testcluster.UserOperator)
	client := tc.UserClient(t, testcluster.UserOperator)
	store := sessionrecord.New(client, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	rec, err := store.Read(ctx)
	if err != nil || rec.Found() {
		t.Fatalf("a session without record: %+v, %v", rec, err)
	}
	objs := rendered(t, ns, 8)
	procs := objs.Processes[2:7] // the segment controller and applications: headless services
	if _, err := store.Claim(ctx, sessionrecord.Header{Source: sessionrecord.Source{BootFile: "demo.yaml"}, Digest: sessionrecord.Digest(objs), Processes: len(procs)}); err != nil {
		t.Fatal(err)
	}
	var recorded []sessionrecord.Entry
	for i := range procs[:4] {
		r := &procs[i]
		made, err := client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{FieldManager: sessionrecord.FieldManager})
		if err != nil {
			t.Fatal(err)
		}
		svc := r.Service.DeepCopy()
		podspec.OwnService(svc, made)
		if _, err := client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		e, err := sessionrecord.NewEntry(r, nil, made.UID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		recorded = append(recorded, e)
	}
	if err := store.Put(ctx, recorded); err != nil {
		t.Fatal(err)
	}
	// One killed with kubectl drunc, one deleted behind its back, one
	// created without a record.
	killed, lost := recorded[1], recorded[2]
	for _, e := range []sessionrecord.Entry{killed, lost} {
		if err := client.CoreV1().Pods(ns).Delete(ctx, e.Name, metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.Apply(ctx, sessionrecord.KilledChange{Name: killed.Name, PodUID: killed.PodUID, ExitCode: sessionrecord.NoExit, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CoreV1().Pods(ns).Create(ctx, procs[4].Pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// Another terminal (the admin's client) reads it all back.
	rec, err = sessionrecord.New(tc.Client, ns).Read(ctx)
	if err != nil || !rec.Found() || len(rec.Entries) != 4 {
		t.Fatalf("record %+v, %v", rec, err)
	}
	live := livePods(t, ctx, tc, ns, 3)
	want := map[string]sessionrecord.Class{
		recorded[0].Name: sessionrecord.ClassRunning, killed.Name: sessionrecord.ClassKilled,
		lost.Name: sessionrecord.ClassLost, recorded[3].Name: sessionrecord.ClassRunning,
		procs[4].Process.Name: sessionrecord.ClassExtra,
	}
	got := sessionrecord.Reconcile(rec, live, session.Keys(""))
	if len(got) != len(want) {
		t.Fatalf("%d processes reconciled, want %d: %+v", len(got), len(want), got)
	}
	for _, r := range got {
		if want[r.Name] != r.Class {
			t.Errorf("%s is %s, want %s", r.Name, r.Class, want[r.Name])
		}
	}
	pod, svc, err := rec.Entry(lost.Name).Objects()
	if err != nil || pod.Labels[session.Keys("").UUID()] != procs[2].Process.UUID || svc.Spec.ClusterIP != "None" ||
		pod.Spec.Containers[0].Args[0] != procs[2].Pod.Spec.Containers[0].Args[0] {
		t.Errorf("the recorded spec of the lost process is not what was created: %v", err)
	}
}

// livePods lists the session's pods once the deleted ones are gone.
func livePods(t *testing.T, ctx context.Context, tc *testcluster.Cluster, ns string, want int) []*corev1.Pod {
	t.Helper()
	for i := 0; ; i++ {
		pods, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(pods.Items) == want {
			out := make([]*corev1.Pod, len(pods.Items))
			for k := range pods.Items {
				out[k] = &pods.Items[k]
			}
			return out
		}
		if i == 300 {
			t.Fatalf("%d pods in %s after 30 s, want %d", len(pods.Items), ns, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
