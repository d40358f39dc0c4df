package informers

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestTrimKeepsWhatIsReadOnly(t *testing.T) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "ru-01", Namespace: "s", Labels: map[string]string{"a": "b"},
			Annotations:   map[string]string{lastAppliedAnnotation: "{...}", "kubectl-drunc/boot-record": "{}"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "x"}}},
		Spec: corev1.PodSpec{
			NodeName: "n", NodeSelector: map[string]string{"kubernetes.io/hostname": "h"},
			Volumes: []corev1.Volume{{Name: "v"}},
			Containers: []corev1.Container{{Name: "c", Image: "i", Command: []string{"sh", "-c", "x"},
				Env:          []corev1.EnvVar{{Name: "USER", Value: "alice"}, {Name: "BIG", Value: "..."}},
				VolumeMounts: []corev1.VolumeMount{{Name: "v", MountPath: "/v"}}}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: "10.0.0.1",
			ContainerStatuses: []corev1.ContainerStatus{{Name: "c", RestartCount: 2}}},
	}
	out, err := Trim(pod)
	if err != nil {
		t.Fatal(err)
	}
	p := out.(*corev1.Pod)
	switch {
	case p.ManagedFields != nil, p.Annotations[lastAppliedAnnotation] != "", len(p.Spec.Volumes) != 0,
		len(p.Spec.Containers[0].VolumeMounts) != 0, len(p.Spec.Containers[0].Env) != 1:
		t.Errorf("not trimmed: %+v", p)
	case p.Annotations["kubectl-drunc/boot-record"] != "{}", p.Labels["a"] != "b", p.Spec.NodeName != "n",
		p.Spec.NodeSelector["kubernetes.io/hostname"] != "h", p.Spec.Containers[0].Command[2] != "x",
		p.Spec.Containers[0].Env[0].Value != "alice", p.Status.PodIP != "10.0.0.1", p.Status.ContainerStatuses[0].RestartCount != 2:
		t.Errorf("trimmed too much: %+v", p)
	}
	if pod.Annotations[lastAppliedAnnotation] == "" {
		t.Error("Trim modified the annotations map of its input")
	}
}
