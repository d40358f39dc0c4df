package lifecycle

import (
	"context"
	"reflect"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// The real control plane proves kill in test/e2e/lifecycle; this checks the
// engine's bookkeeping fast, on a fake clientset whose deletes remove pods
// at once (as kwok does).
func fakeSession(t *testing.T, pods ...*corev1.Pod) (*fake.Clientset, *informers.Cache) {
	t.Helper()
	c := fake.NewClientset()
	for i, p := range pods {
		p.UID = types.UID(p.Name + "-uid")
		p.Spec.TerminationGracePeriodSeconds = new(int64)
		*p.Spec.TerminationGracePeriodSeconds = int64(i)
		if _, err := c.CoreV1().Pods(p.Namespace).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	cache, err := informers.Start(ctx, informers.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	return c, cache
}

func deletes(c *fake.Clientset) []string {
	var out []string
	for _, a := range c.Actions() {
		if d, ok := a.(k8stesting.DeleteAction); ok && d.GetResource().Resource == "pods" {
			out = append(out, d.GetName())
		}
	}
	return out
}

func TestKillDeletesStageByStageAndReports(t *testing.T) {
	c, cache := fakeSession(t,
		pod("s", "local-connection-server", "1", session.RoleInfrastructure),
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "seg", "0.0", session.RoleSegmentController),
		pod("s", "app", "0.0.0", session.RoleApplication),
	)
	grace := int64(3)
	res, err := Kill(context.Background(), Config{Client: c, Cache: cache, GracePeriod: &grace, StageTimeout: 10 * time.Second}, cache.Pods())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := deletes(c), []string{"app", "seg", "root-controller", "local-connection-server"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("delete order %v, want %v", got, want)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	for _, k := range res.Killed {
		if !k.Gone || k.Exit != NoExit {
			t.Errorf("%s: gone=%v exit=%d, want gone with exit -1", k.View.Name, k.Gone, k.Exit)
		}
	}
	for _, a := range c.Actions() {
		if d, ok := a.(k8stesting.DeleteActionImpl); ok && d.GetResource().Resource == "pods" {
			o := d.GetDeleteOptions()
			if o.GracePeriodSeconds == nil || *o.GracePeriodSeconds != 3 || o.Preconditions == nil || o.Preconditions.UID == nil ||
				*o.Preconditions.UID != types.UID(d.GetName()+"-uid") {
				t.Errorf("delete of %s: options %+v, want grace 3 and its UID as precondition", d.GetName(), o)
			}
		}
	}
	if len(res.Stages) != 4 || res.Stages[0].Name != "application" || res.Stages[3].Name != StageLCS {
		t.Errorf("stages %+v", res.Stages)
	}
}

func TestKillDefaultTimeoutIsGracePlusMargin(t *testing.T) {
	c, cache := fakeSession(t, pod("s", "a", "0.1", session.RoleApplication), pod("s", "b", "0.2", session.RoleApplication))
	res, err := Kill(context.Background(), Config{Client: c, Cache: cache}, cache.Pods())
	if err != nil {
		t.Fatal(err)
	}
	// b has terminationGracePeriodSeconds 1, a 0: the stage waits 1 s + margin.
	if got := res.Stages[0].Timeout; got != time.Second+DefaultMargin {
		t.Errorf("stage timeout %s, want %s", got, time.Second+DefaultMargin)
	}
	for _, a := range c.Actions() {
		if d, ok := a.(k8stesting.DeleteActionImpl); ok && d.GetDeleteOptions().GracePeriodSeconds != nil {
			t.Errorf("delete of %s overrides the pod's grace period", d.GetName())
		}
	}
}

func TestKillRefusesPodsWithoutCreatorLabel(t *testing.T) {
	p := pod("s", "foreign", "0.1", session.RoleApplication)
	c, cache := fakeSession(t, p)
	foreign := cache.Pods()[0].DeepCopy()
	delete(foreign.Labels, session.Keys("").Creator())
	res, err := Kill(context.Background(), Config{Client: c, Cache: cache, StageTimeout: time.Second}, []*corev1.Pod{foreign})
	if err != nil {
		t.Fatal(err)
	}
	if len(deletes(c)) != 0 || res.Err() == nil || res.Killed[0].Gone {
		t.Fatalf("a pod without the creator label was deleted or not reported: deletes %v, err %v", deletes(c), res.Err())
	}
}
