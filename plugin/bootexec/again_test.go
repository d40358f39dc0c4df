package bootexec

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// bootRun1Again boots run1 again, as configured, without waiting.
func bootRun1Again(t *testing.T, client *fake.Clientset) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := Run(ctx, Config{Client: client, Objects: renderRun1(t), Source: sessionrecord.Source{BootFile: "run1.yaml"}, Timeout: 15 * time.Second})
	if err != nil {
		t.Fatalf("boot of run1 again: %v\n%+v", err, res)
	}
	return res
}

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
	res := bootRun1Again(t, client)
	if n := res.Count(Created); n != 1 {
		t.Fatalf("%d processes created, want app-000 only: %+v", n, res.Processes)
	}
	pod := getPod(t, client, "app-000")
	svc, err := client.CoreV1().Services("run1").Get(context.Background(), "app-000", metav1.GetOptions{})
	if err != nil || pod.UID == old.UID || !ownedBy(svc, pod.UID) {
		t.Fatalf("app-000: pod %s (was %s), service %+v (%v); want a new pod owning the service", pod.UID, old.UID, svc.OwnerReferences, err)
	}
}

// TestBootAgainWaitsForATerminatingPod: app-000's pod is still
// terminating (killed from another terminal) when the boot creates it
// again: the boot waits until it is gone, then creates it.
func TestBootAgainWaitsForATerminatingPod(t *testing.T) {
	client := bootedRun1(t)
	old := getPod(t, client, "app-000")
	now := metav1.Now()
	going := old.DeepCopy()
	going.DeletionTimestamp = &now
	pods := schema.GroupVersionResource{Version: "v1", Resource: "pods"}
	if err := client.Tracker().Update(pods, going, "run1"); err != nil {
		t.Fatal(err)
	}
	// The create that finds it there is refused; the pod goes a moment
	// later, as a kubelet would remove it.
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
		if cur, err := client.Tracker().Get(pods, "run1", p.Name); err == nil && cur.(*corev1.Pod).UID == old.UID {
			time.AfterFunc(300*time.Millisecond, func() { _ = client.Tracker().Delete(pods, "run1", p.Name) })
			return true, nil, apierrors.NewAlreadyExists(pods.GroupResource(), p.Name)
		}
		return false, nil, nil
	})
	res := bootRun1Again(t, client)
	if pod := getPod(t, client, "app-000"); pod.UID == old.UID || res.Count(Created) != 1 {
		t.Fatalf("app-000 is pod %s (was %s), %d created: %+v", pod.UID, old.UID, res.Count(Created), res.Processes)
	}
}

func getPod(t *testing.T, client *fake.Clientset, name string) *corev1.Pod {
	t.Helper()
	p, err := client.CoreV1().Pods("run1").Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ownedBy(svc *corev1.Service, uid types.UID) bool {
	return len(svc.OwnerReferences) == 1 && svc.OwnerReferences[0].UID == uid
}
