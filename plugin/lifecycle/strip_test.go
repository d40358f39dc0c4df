package lifecycle

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

func TestStripPodKeepsWhatTheCreatorWrote(t *testing.T) {
	now := metav1.Now()
	old := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: "ru-01", Namespace: "run42", UID: "u1", ResourceVersion: "7", CreationTimestamp: now,
			DeletionTimestamp: &now, Generation: 3, Labels: map[string]string{"app": "ru-01"},
			Annotations:   map[string]string{"a": "b"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "x"}},
		},
		Spec: corev1.PodSpec{
			NodeName:     "np02-srv-001",
			NodeSelector: map[string]string{"kubernetes.io/hostname": "np02-srv-001"},
			Containers: []corev1.Container{{Name: "ru-01", Image: "img", VolumeMounts: []corev1.VolumeMount{
				{Name: "data", MountPath: "/data"}, {Name: "kube-api-access-abcde", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount"},
			}}},
			Volumes: []corev1.Volume{
				{Name: "data", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/data"}}},
				{Name: "kube-api-access-abcde", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{}}},
			},
			TerminationGracePeriodSeconds: ptr.To[int64](30),
		},
		Status: corev1.PodStatus{Phase: corev1.PodFailed, PodIP: "10.0.0.1"},
	}
	p := StripPod(old)
	switch {
	case p.UID != "" || p.ResourceVersion != "" || !p.CreationTimestamp.IsZero() || p.DeletionTimestamp != nil || p.Generation != 0 || p.ManagedFields != nil:
		t.Errorf("server-set metadata kept: %+v", p.ObjectMeta)
	case p.Status.Phase != "" || p.Status.PodIP != "":
		t.Errorf("status kept: %+v", p.Status)
	case p.Spec.NodeName != "":
		t.Errorf("the scheduler's nodeName kept though a nodeSelector pins the pod")
	case len(p.Spec.Volumes) != 1 || p.Spec.Volumes[0].Name != "data" || len(p.Spec.Containers[0].VolumeMounts) != 1:
		t.Errorf("the injected token volume is not dropped (and only it): %+v %+v", p.Spec.Volumes, p.Spec.Containers[0].VolumeMounts)
	case p.Labels["app"] != "ru-01" || p.Annotations["a"] != "b" || *p.Spec.TerminationGracePeriodSeconds != 30:
		t.Errorf("the creator's fields are lost: %+v", p)
	}
	if len(old.Spec.Volumes) != 2 || old.Spec.NodeName == "" {
		t.Errorf("the old pod was modified")
	}
}

func TestStripPodKeepsNodeNameWithoutHostSelector(t *testing.T) {
	old := &corev1.Pod{Spec: corev1.PodSpec{NodeName: "n1"}}
	if StripPod(old).Spec.NodeName != "n1" {
		t.Fatal("a pod pinned by nodeName alone must keep it")
	}
}

func TestStripServiceKeepsClusterIPDropsAllocations(t *testing.T) {
	old := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "lcs", UID: "s1", OwnerReferences: []metav1.OwnerReference{{Kind: "Pod", Name: "lcs", UID: "p1"}}},
		Spec:       corev1.ServiceSpec{ClusterIP: "10.96.0.5", ClusterIPs: []string{"10.96.0.5"}, HealthCheckNodePort: 31000},
	}
	s := StripService(old)
	if s.UID != "" || s.Spec.ClusterIP != "10.96.0.5" || s.Spec.ClusterIPs != nil || s.Spec.HealthCheckNodePort != 0 {
		t.Fatalf("got %+v", s)
	}
	if s.OwnerReferences[0].UID != types.UID("p1") {
		t.Fatal("owner reference lost (OwnService re-points it)")
	}
}

func TestServiceOf(t *testing.T) {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "a", UID: "p1"}}
	mk := func(uid types.UID) *corev1.Service {
		s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "s", Name: "a"}}
		if uid != "" {
			s.OwnerReferences = []metav1.OwnerReference{{Kind: "Pod", Name: "a", UID: uid}}
		}
		return s
	}
	if !serviceOf(mk("p1"), p) || !serviceOf(mk(""), p) || serviceOf(mk("p2"), p) {
		t.Fatal("serviceOf: own pod or no pod owner only")
	}
	if orphanedBy(mk("p1"), p) || !orphanedBy(mk(""), p) || orphanedBy(mk("p2"), p) {
		t.Fatal("orphanedBy: only a service no pod owns is left to kill to delete")
	}
}
