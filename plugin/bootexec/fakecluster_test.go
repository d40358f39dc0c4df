package bootexec

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// apiserverLike makes the fake clientset do what the apiserver does and
// the fake does not: a namespace is Active once created, a pod gets a UID.
func apiserverLike(client *fake.Clientset) {
	client.PrependReactor("create", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		a.(k8stesting.CreateAction).GetObject().(*corev1.Namespace).Status.Phase = corev1.NamespaceActive
		return false, nil, nil
	})
	var made atomic.Int32
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
		p.UID = types.UID(fmt.Sprintf("%s-%d", p.Name, made.Add(1)))
		return false, nil, nil
	})
}

// markTerminating marks pod terminating; a create of its name is refused
// while it is there, and it goes after d, as a kubelet would remove it.
func markTerminating(t *testing.T, client *fake.Clientset, pod *corev1.Pod, d time.Duration) {
	t.Helper()
	now := metav1.Now()
	going := pod.DeepCopy()
	going.DeletionTimestamp = &now
	pods := corev1.SchemeGroupVersion.WithResource("pods")
	if err := client.Tracker().Update(pods, going, pod.Namespace); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(d, func() { _ = client.Tracker().Delete(pods, pod.Namespace, pod.Name) })
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		p := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
		if cur, err := client.Tracker().Get(pods, pod.Namespace, p.Name); err == nil && cur.(*corev1.Pod).UID == pod.UID {
			return true, nil, apierrors.NewAlreadyExists(pods.GroupResource(), p.Name)
		}
		return false, nil, nil
	})
}

// forbidNamespaceList refuses every list of namespaces, as a
// namespace-scoped grant does.
func forbidNamespaceList(client *fake.Clientset) {
	client.PrependReactor("list", "namespaces", func(a k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewForbidden(corev1.Resource("namespaces"), "", nil)
	})
}
