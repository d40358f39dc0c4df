package lifecycle

import (
	"context"
	"errors"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// waitGone ends when every pod is deleted or its name belongs to another
// pod (a restart recreated it), and names those still there otherwise.
func TestWaitGoneFollowsPodsByUID(t *testing.T) {
	c, cache := fakeSession(t,
		pod("s", "deleted", "0.0.1", session.RoleApplication),
		pod("s", "replaced", "0.0.2", session.RoleApplication),
		pod("s", "stays", "0.0.3", session.RoleApplication),
	)
	ctx := context.Background()
	pods := cache.Pods()
	byName := map[string]types.UID{}
	for _, p := range pods {
		byName[p.Name] = p.UID
	}

	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	left, err := waitGone(short, cache, pods)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) || len(left) != 3 {
		t.Fatalf("nothing deleted: want all 3 left and the deadline, got %d left, %v", len(left), err)
	}

	if err := c.CoreV1().Pods("s").Delete(ctx, "deleted", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.CoreV1().Pods("s").Delete(ctx, "replaced", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	again := pod("s", "replaced", "0.0.2", session.RoleApplication)
	again.UID = "a-new-uid"
	if _, err := c.CoreV1().Pods("s").Create(ctx, again, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	short, cancel = context.WithTimeout(ctx, 2*time.Second)
	left, err = waitGone(short, cache, pods)
	cancel()
	if err == nil || len(left) != 1 || left[byName["stays"]] == nil {
		t.Fatalf("want only %q left, got %v (%v)", "stays", left, err)
	}

	if err := c.CoreV1().Pods("s").Delete(ctx, "stays", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	short, cancel = context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if left, err := waitGone(short, cache, pods); err != nil || len(left) != 0 {
		t.Fatalf("all gone: want nothing left, got %v (%v)", left, err)
	}
}
