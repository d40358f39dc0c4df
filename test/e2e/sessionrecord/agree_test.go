package sessionrecord

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// settled waits (60 s at most) until no pod of the session is being
// deleted: a kill returns once its pods are gone, but a pod the garbage
// collector or a late delete holds may still be on its way.
func settled(t *testing.T, tc *testcluster.Cluster, ns string) {
	t.Helper()
	testcluster.Eventually(t, 60*time.Second, "no pod of "+ns+" being deleted", func() (bool, string) {
		var going []string
		for name, p := range e2eproc.Pods(t, tc, ns) {
			if p.DeletionTimestamp != nil {
				going = append(going, name)
			}
		}
		return len(going) == 0, fmt.Sprint("being deleted: ", going)
	})
}

// recordDisagreements compares the session's record with its pods: the
// record has the n processes of the configuration; every Booted entry has
// its pod, with the recorded uid; a Killed or Flushed entry has none;
// every pod is recorded, under its uuid, and no two pods share a uuid.
func recordDisagreements(t *testing.T, tc *testcluster.Cluster, ns string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rec, err := sessionrecord.New(tc.Client, ns).Read(ctx)
	if err != nil || !rec.Found() {
		t.Fatalf("reading the record of %s: found %v, %v", ns, rec.Found(), err)
	}
	pods, uuidKey := e2eproc.Pods(t, tc, ns), session.Keys("").UUID()
	var bad []string
	if len(rec.Entries) != n {
		bad = append(bad, fmt.Sprintf("%d entries, want %d", len(rec.Entries), n))
	}
	for name, e := range rec.Entries {
		pod := pods[name]
		switch {
		case e.State == sessionrecord.StateBooted && pod == nil:
			bad = append(bad, fmt.Sprintf("%s: recorded Booted as pod %s, which is gone", name, e.PodUID))
		case e.State == sessionrecord.StateBooted && pod.UID != e.PodUID:
			bad = append(bad, fmt.Sprintf("%s: recorded Booted as pod %s, runs as pod %s", name, e.PodUID, pod.UID))
		case e.State != sessionrecord.StateBooted && pod != nil:
			bad = append(bad, fmt.Sprintf("%s: recorded %s (pod %s), runs as pod %s", name, e.State, e.PodUID, pod.UID))
		}
	}
	owner := map[string]string{}
	for name, pod := range pods {
		uuid := pod.Labels[uuidKey]
		if e := rec.Entry(name); e == nil || e.UUID != uuid {
			bad = append(bad, fmt.Sprintf("pod %s (uuid %s) is not recorded under its uuid", name, uuid))
		}
		if other, dup := owner[uuid]; dup {
			bad = append(bad, fmt.Sprintf("pods %s and %s share uuid %s", other, name, uuid))
		}
		owner[uuid] = name
	}
	slices.Sort(bad)
	return bad
}
