package lifecycle

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/sets"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// serviceAccountVolumePrefix names the token volume the ServiceAccount
// admission plugin injects; it is added again on create.
const serviceAccountVolumePrefix = "kube-api-access-"

// StripPod is the pod to create again from one that exists: its metadata
// and spec as written by whoever created it, without status and the fields
// the server set (uid, resourceVersion, timestamps, managedFields, the
// scheduler's nodeName when a hostname nodeSelector pins the pod, the
// injected service-account token volume).
func StripPod(old *corev1.Pod) *corev1.Pod {
	p := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: stripMeta(&old.ObjectMeta),
		Spec:       *old.Spec.DeepCopy(),
	}
	if p.Spec.NodeSelector[podspec.HostnameLabel] != "" {
		p.Spec.NodeName = ""
	}
	injected := sets.New[string]()
	var volumes []corev1.Volume
	for _, v := range p.Spec.Volumes {
		if strings.HasPrefix(v.Name, serviceAccountVolumePrefix) && v.Projected != nil {
			injected.Insert(v.Name)
			continue
		}
		volumes = append(volumes, v)
	}
	p.Spec.Volumes = volumes
	for _, cs := range [][]corev1.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for i := range cs {
			var mounts []corev1.VolumeMount
			for _, m := range cs[i].VolumeMounts {
				if !injected.Has(m.Name) {
					mounts = append(mounts, m)
				}
			}
			cs[i].VolumeMounts = mounts
		}
	}
	return p
}

// StripService is the service to create again: its spec without the
// addresses the server allocated, except the ClusterIP (kept so pods that
// resolve the process through hostAliases still reach it).
func StripService(old *corev1.Service) *corev1.Service {
	s := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: stripMeta(&old.ObjectMeta),
		Spec:       *old.Spec.DeepCopy(),
	}
	s.Spec.ClusterIPs = nil
	s.Spec.HealthCheckNodePort = 0
	return s
}

func stripMeta(m *metav1.ObjectMeta) metav1.ObjectMeta {
	c := m.DeepCopy()
	return metav1.ObjectMeta{
		Name:            c.Name,
		Namespace:       c.Namespace,
		Labels:          c.Labels,
		Annotations:     c.Annotations,
		OwnerReferences: c.OwnerReferences,
	}
}
