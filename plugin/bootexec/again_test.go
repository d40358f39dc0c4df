package bootexec

import (
	"context"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestBootAgainRemovesTheKilledPodsService: app-000 was killed a moment
// ago, its service not yet collected after it (the fake has no garbage
// collector at all): a boot creates app-000 again with a service of its
// own instead of failing on the old one.
func TestBootAgainRemovesTheKilledPodsService(t *testing.T) {
	client := bootedRun1(t)
	old := getPod(t, client, "app-000")
	if err := client.CoreV1().Pods("run1").Delete(context.Background(), "app-000", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	res := bootRun1(t, client)
	if n := res.Count(Created); n != 1 {
		t.Fatalf("%d processes created, want app-000 only: %+v", n, res.Processes)
	}
	pod := getPod(t, client, "app-000")
	svc, err := client.CoreV1().Services("run1").Get(context.Background(), "app-000", metav1.GetOptions{})
	if err != nil || pod.UID == old.UID || len(svc.OwnerReferences) != 1 || svc.OwnerReferences[0].UID != pod.UID {
		t.Fatalf("app-000: pod %s (was %s), service %+v (%v); want a new pod owning the service", pod.UID, old.UID, svc.OwnerReferences, err)
	}
}

// TestBootAgainWaitsForATerminatingPod: app-000's pod is still
// terminating (killed from another terminal) when the boot creates it
// again: the boot waits until it is gone, then creates it.
func TestBootAgainWaitsForATerminatingPod(t *testing.T) {
	client := bootedRun1(t)
	old := getPod(t, client, "app-000")
	markTerminating(t, client, old, 300*time.Millisecond)
	res := bootRun1(t, client)
	if pod := getPod(t, client, "app-000"); pod.UID == old.UID || res.Count(Created) != 1 {
		t.Fatalf("app-000 is pod %s (was %s), %d created: %+v", pod.UID, old.UID, res.Count(Created), res.Processes)
	}
}
