package procreate

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

func process() Process {
	labels := map[string]string{"uuid.drunc.daq": "u-1"}
	return Process{
		Pod: &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "df-01", Labels: labels, UID: "pod-uid"}},
		// As rendered: owned by its pod, whose UID is filled in at creation.
		Service: &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "df-01", Labels: labels,
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "v1", Kind: "Pod", Name: "df-01"}}}},
	}
}

// TestCreateTakesAnEarlierTryThatWentThrough: a create whose answer was
// lost (the object was stored, the client saw a timeout) is tried again;
// the AlreadyExists that follows is the process itself, not a refusal.
func TestCreateTakesAnEarlierTryThatWentThrough(t *testing.T) {
	c := fake.NewClientset()
	for _, resource := range []string{"pods", "services"} {
		lost := false
		c.PrependReactor("create", resource, func(a k8stesting.Action) (bool, runtime.Object, error) {
			if lost {
				return false, nil, nil
			}
			lost = true
			obj := a.(k8stesting.CreateAction).GetObject()
			if err := c.Tracker().Create(a.GetResource(), obj, a.GetNamespace()); err != nil {
				t.Fatal(err)
			}
			return true, nil, apierrors.NewTimeoutError("answer lost", 1)
		})
	}
	pod, svc, err := (&Creator{Client: c}).Create(context.Background(), process())
	if err != nil || pod == nil || svc == nil {
		t.Fatalf("Create = %v, %v, %v; want the objects the first tries stored", pod, svc, err)
	}
}

// TestCreateUndoesThePodWhenItsServiceIsRefused: no process is left
// half-made: the pod goes again, and the error says so.
func TestCreateUndoesThePodWhenItsServiceIsRefused(t *testing.T) {
	c := fake.NewClientset()
	c.PrependReactor("create", "services", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewInvalid(schema.GroupKind{Kind: "Service"}, "df-01", nil)
	})
	_, _, err := (&Creator{Client: c}).Create(context.Background(), process())
	var refused *ServiceRefusedError
	if !errors.As(err, &refused) || !refused.PodDeleted || !strings.Contains(err.Error(), "its pod was deleted again") {
		t.Fatalf("Create = %v, want a ServiceRefusedError with the pod deleted", err)
	}
	if _, err := c.CoreV1().Pods("s").Get(context.Background(), "df-01", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("the pod is still there: %v", err)
	}
}

// TestCreatorErrorsUnwrapToTheAPIError: a refusal reads as one line, and
// callers still tell AlreadyExists, Forbidden... apart through it.
func TestCreatorErrorsUnwrapToTheAPIError(t *testing.T) {
	gr := schema.GroupResource{Resource: "pods"}
	for _, c := range []struct {
		name     string
		resource string
		err      error
		is       func(error) bool
	}{
		{"pod already exists", "pods", apierrors.NewAlreadyExists(gr, "df-01"), apierrors.IsAlreadyExists},
		{"pod forbidden", "pods", apierrors.NewForbidden(gr, "df-01", errors.New("quota")), apierrors.IsForbidden},
		{"pod invalid", "pods", apierrors.NewInvalid(schema.GroupKind{Kind: "Pod"}, "df-01", nil), apierrors.IsInvalid},
		{"service forbidden", "services", apierrors.NewForbidden(gr, "df-01", errors.New("quota")), apierrors.IsForbidden},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs := fake.NewClientset()
			cs.PrependReactor("create", c.resource, func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, c.err
			})
			_, _, err := (&Creator{Client: cs}).Create(context.Background(), process())
			if err == nil || !c.is(err) {
				t.Fatalf("Create = %v: the API error does not show through", err)
			}
			if want := " refused: " + string(apierrors.ReasonForError(c.err)); !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		})
	}
}

// TestServiceOfTheSamePodIsTaken: a service already owned by this very pod
// (a concurrent restart that took the pod for its own created it) is the
// result at the first try, not a refusal that would delete the pod.
func TestServiceOfTheSamePodIsTaken(t *testing.T) {
	c := fake.NewClientset()
	p := process()
	pod, err := (&Creator{Client: c}).Pod(context.Background(), p.Pod)
	if err != nil {
		t.Fatal(err)
	}
	theirs := p.Service.DeepCopy()
	theirs.OwnerReferences[0].UID = pod.UID
	if _, err := c.CoreV1().Services("s").Create(context.Background(), theirs, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Creator{Client: c}).Service(context.Background(), p, pod); err != nil {
		t.Fatalf("Service = %v, want the service the pod already has", err)
	}
	if _, err := c.CoreV1().Pods("s").Get(context.Background(), "df-01", metav1.GetOptions{}); err != nil {
		t.Fatalf("the pod was deleted: %v", err)
	}
}
