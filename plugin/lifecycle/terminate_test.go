package lifecycle

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	apitypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func namespace(t *testing.T, c *fake.Clientset, name string, drunc bool) {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, UID: apitypes.UID("ns-uid-" + name)}}
	if drunc {
		ns.Labels = map[string]string{session.Keys("").Creator(): session.CreatorValue}
	}
	if _, err := c.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// deleteOrder is the kill's deletes as "pod ns/name" and "namespace name", in
// the order they were sent.
func deleteOrder(c *fake.Clientset) []string {
	var out []string
	for _, a := range c.Actions() {
		if d, ok := a.(k8stesting.DeleteAction); ok {
			switch d.GetResource().Resource {
			case "pods":
				out = append(out, "pod "+d.GetNamespace()+"/"+d.GetName())
			case "namespaces":
				out = append(out, "namespace "+d.GetName())
			}
		}
	}
	return out
}

// The namespace is deleted once the last stage's deletes were answered,
// while that stage's pod is still terminating: the connection server here
// goes only once its namespace's delete was sent, so a terminate that
// waited for it first would time the stage out.
func TestTerminateDeletesTheNamespaceWhileItsLastStageTerminates(t *testing.T) {
	c, cache := fakeSession(t,
		pod("s", "local-connection-server", "1", session.RoleInfrastructure),
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "app", "0.0", session.RoleApplication),
	)
	namespace(t, c, "s", true)
	pods := cache.Pods()
	c.PrependReactor("delete", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return a.(k8stesting.DeleteAction).GetName() == "local-connection-server", nil, nil
	})
	c.PrependReactor("delete", "namespaces", func(k8stesting.Action) (bool, runtime.Object, error) {
		go func() {
			_ = c.Tracker().Delete(corev1.SchemeGroupVersion.WithResource("pods"), "s", "local-connection-server")
		}()
		return false, nil, nil
	})
	res, err := Terminate(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 5 * time.Second}, []string{"s"}, pods,
		TerminateOptions{Wait: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	want := []string{"pod s/app", "pod s/root-controller", "pod s/local-connection-server", "namespace s"}
	if got := deleteOrder(c); !reflect.DeepEqual(got, want) {
		t.Errorf("deletes %v, want %v", got, want)
	}
	if len(res.Namespaces) != 1 || !res.Namespaces[0].Deleted || !res.Namespaces[0].Gone {
		t.Errorf("namespaces %+v, want s deleted and gone", res.Namespaces)
	}
}

// With several sessions, each namespace goes after its own last stage;
// one without processes is deleted too; one drunc did not make, or one
// that holds a foreign pod, is kept.
func TestTerminateEachNamespaceAfterItsOwnLastStage(t *testing.T) {
	foreign := pod("mixed", "not-drunc", "", "")
	delete(foreign.Labels, session.Keys("").Creator())
	c, cache := fakeSession(t,
		pod("apps", "ru-01", "0.0", session.RoleApplication),
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "ru-02", "0.0", session.RoleApplication),
		pod("theirs", "ru-03", "0.0", session.RoleApplication),
		pod("mixed", "ru-04", "0.0", session.RoleApplication),
		foreign,
	)
	for _, n := range []string{"apps", "s", "empty", "mixed"} {
		namespace(t, c, n, true)
	}
	namespace(t, c, "theirs", false)
	pods := cache.Pods()
	res, err := Terminate(context.Background(), Config{Client: c, Cache: cache, StageTimeout: 5 * time.Second},
		[]string{"apps", "empty", "mixed", "s", "theirs"}, pods, TerminateOptions{Wait: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	order := deleteOrder(c)
	at := map[string]int{}
	for i, d := range order {
		at[d] = i
	}
	for _, w := range []struct{ ns, after string }{{"apps", "pod apps/ru-01"}, {"s", "pod s/root-controller"}} {
		i, ok := at["namespace "+w.ns]
		if !ok || i < at[w.after] {
			t.Errorf("namespace %s deleted at %d, before %s (%d): %v", w.ns, i, w.after, at[w.after], order)
		}
	}
	var deleted, kept []string
	for _, n := range res.Namespaces {
		if n.Deleted && n.Gone {
			deleted = append(deleted, n.Name)
		}
		if n.Kept != "" {
			kept = append(kept, n.Name)
		}
	}
	sort.Strings(deleted)
	if want := []string{"apps", "empty", "s"}; !reflect.DeepEqual(deleted, want) {
		t.Errorf("deleted and gone %v, want %v", deleted, want)
	}
	if want := []string{"mixed", "theirs"}; !reflect.DeepEqual(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
	if _, ok := at["namespace mixed"]; ok {
		t.Errorf("the namespace holding a foreign pod was deleted: %v", order)
	}
}

// An interrupted kill deletes no namespace whose last stage it had not
// reached.
func TestTerminateInterruptedDeletesNoNamespace(t *testing.T) {
	c, cache := fakeSession(t,
		pod("s", "root-controller", "0", session.RoleRootController),
		pod("s", "app", "0.0", session.RoleApplication),
	)
	namespace(t, c, "s", true)
	pods := cache.Pods()
	ctx, cancel := context.WithCancelCause(context.Background())
	interrupted := errors.New("interrupted")
	c.PrependReactor("delete", "pods", func(k8stesting.Action) (bool, runtime.Object, error) {
		cancel(interrupted) // the application stays; its stage is interrupted
		return true, nil, nil
	})
	res, err := Terminate(ctx, Config{Client: c, Cache: cache, StageTimeout: 5 * time.Second}, []string{"s"}, pods, TerminateOptions{Wait: true, Timeout: time.Second})
	if !errors.Is(err, interrupted) {
		t.Fatalf("err %v, want the interruption", err)
	}
	if got, want := deleteOrder(c), []string{"pod s/app"}; !reflect.DeepEqual(got, want) {
		t.Errorf("deletes %v, want %v", got, want)
	}
	if len(res.Namespaces) != 0 {
		t.Errorf("namespaces acted on: %+v", res.Namespaces)
	}
}
