package lifecycle

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// createdFirstBy makes the first create of a pod lose to another client's
// create of the same name, whose pod has this uuid and is Ready.
func createdFirstBy(t *testing.T, c *fake.Clientset, uuid string) {
	lost := false
	c.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if lost {
			return false, nil, nil
		}
		lost = true
		theirs := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod).DeepCopy()
		theirs.UID = "theirs"
		theirs.Labels[session.Keys("").UUID()] = uuid
		theirs.Status = corev1.PodStatus{Phase: corev1.PodRunning,
			Conditions:        []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: theirs.Name, Ready: true, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}
		if err := c.Tracker().Add(theirs); err != nil {
			t.Error(err)
		}
		return true, nil, apierrors.NewAlreadyExists(schema.GroupResource{Resource: "pods"}, theirs.Name)
	})
}

func appWithUUID() *corev1.Pod {
	p := pod("s", "app", "0.0", session.RoleApplication)
	p.Labels[session.Keys("").UUID()] = "u-1"
	p.Spec.Containers = []corev1.Container{{Name: "app", Image: "x"}}
	return p
}

// TestRestartTakesTheSameProcessCreatedByAnotherClient: two restarts of one
// process at the same moment; the one whose create comes second finds a
// pod with the same uuid: restarted by the other client, waited for, no
// error, nothing deleted.
func TestRestartTakesTheSameProcessCreatedByAnotherClient(t *testing.T) {
	c, cache := fakeSession(t, appWithUUID())
	createdFirstBy(t, c, "u-1")
	var progress bytes.Buffer
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second, Progress: &progress}, cache.Pods(),
		RestartOptions{Wait: true, ReadyTimeout: 5 * time.Second})
	if err != nil || res.Err() != nil {
		t.Fatalf("Restart = %v, %v", err, res.Err())
	}
	rc := res.Recreated[0]
	if !rc.ByOther || rc.Pod == nil || rc.Pod.UID != "theirs" || len(res.Wait.Met) != 1 {
		t.Fatalf("recreated %+v, wait %+v: want the other client's pod, waited for", rc, res.Wait)
	}
	if n := strings.Count(progress.String(), "s/app restarted by another client"); n != 1 {
		t.Errorf("progress says %d times it was restarted by another client, want 1:\n%s", n, progress.String())
	}
}

// TestRestartRefusesAnotherProcessOfTheSameName: a pod of that name with
// another uuid is not the process: the error names it, and it stays.
func TestRestartRefusesAnotherProcessOfTheSameName(t *testing.T) {
	c, cache := fakeSession(t, appWithUUID())
	createdFirstBy(t, c, "u-2")
	res, err := Restart(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 10 * time.Second}, cache.Pods(),
		RestartOptions{Wait: true, ReadyTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rc := res.Recreated[0]
	if rc.Err == nil || !apierrors.IsAlreadyExists(rc.Err) || rc.ByOther {
		t.Fatalf("recreated %+v: want an AlreadyExists error", rc)
	}
	if want := `the pod s/app that holds the name has uuid "u-2", not "u-1"`; !strings.Contains(res.Err().Error(), want) {
		t.Errorf("error %q lacks %q", res.Err(), want)
	}
	if p, err := c.CoreV1().Pods("s").Get(context.Background(), "app", metav1.GetOptions{}); err != nil || p.UID != "theirs" {
		t.Errorf("the other process's pod was touched: %v, %v", p, err)
	}
}
