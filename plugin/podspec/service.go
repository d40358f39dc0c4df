package podspec

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// network is how a process is reached: the local connection server and a
// root controller with a known port run on the pod network behind a
// NodePort Service (port = targetPort = nodePort); every other process uses
// the host network and a headless Service for discovery.
type network struct {
	nodePort int32 // 0: hostNetwork + headless Service
}

func networkFor(p *session.Process) (network, error) {
	switch {
	case isLCS(p):
		n := ExtractPort(p)
		if n == 0 {
			return network{}, fmt.Errorf("no port found for the local connection server: give gunicorn's -b/--bind HOST:PORT (or HOST:${VAR} with VAR in env)")
		}
		return network{nodePort: n}, nil
	case p.Role() == session.RoleRootController:
		// Without a port drunc falls back to a headless Service.
		return network{nodePort: ExtractPort(p)}, nil
	}
	return network{}, nil
}

func (r *renderer) service(p *session.Process, net network) *corev1.Service {
	svc := &corev1.Service{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: metav1.ObjectMeta{
			Name:      p.Name,
			Namespace: r.s.Name,
			Labels: map[string]string{
				r.keys.Creator():       session.CreatorValue,
				session.ManagedByLabel: session.ManagedByValue,
			},
			OwnerReferences: []metav1.OwnerReference{{
				APIVersion:         "v1",
				Kind:               "Pod",
				Name:               p.Name,
				Controller:         ptr.To(true),
				BlockOwnerDeletion: ptr.To(true),
			}},
		},
		Spec: corev1.ServiceSpec{Selector: map[string]string{session.AppLabel: p.Name}},
	}
	if net.nodePort != 0 {
		svc.Spec.Type = corev1.ServiceTypeNodePort
		svc.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
		svc.Spec.Ports = []corev1.ServicePort{{
			Protocol:   corev1.ProtocolTCP,
			Port:       net.nodePort,
			TargetPort: intstr.FromInt32(net.nodePort),
			NodePort:   net.nodePort,
		}}
		return svc
	}
	hp := r.st.HeadlessDiscoveryPort
	svc.Spec.ClusterIP = corev1.ClusterIPNone
	svc.Spec.Ports = []corev1.ServicePort{{Port: hp, TargetPort: intstr.FromInt32(hp)}}
	return svc
}

// OwnService completes the Service's ownerReference with the UID of the
// pod as created, so the Service is garbage-collected with its pod.
func OwnService(svc *corev1.Service, pod *corev1.Pod) {
	for i := range svc.OwnerReferences {
		ref := &svc.OwnerReferences[i]
		if ref.Kind == "Pod" && ref.Name == pod.Name {
			ref.UID = pod.UID
		}
	}
}

// NodePort returns the NodePort a rendered Service exposes, 0 for headless.
func NodePort(svc *corev1.Service) int32 {
	if svc == nil || svc.Spec.Type != corev1.ServiceTypeNodePort || len(svc.Spec.Ports) == 0 {
		return 0
	}
	return svc.Spec.Ports[0].NodePort
}

// SetLCSAddress makes "localhost" in a pod resolve to the local connection
// server's Service ClusterIP, as drunc does for every pod booted after the
// LCS. The LCS's own pod is left unchanged.
func SetLCSAddress(pod *corev1.Pod, clusterIP string) {
	if clusterIP == "" || clusterIP == corev1.ClusterIPNone || isLCSPod(pod) {
		return
	}
	pod.Spec.HostAliases = []corev1.HostAlias{{IP: clusterIP, Hostnames: []string{"localhost"}}}
}

// isLCSPod tells the LCS pod by name and role label, whatever the label
// domain.
func isLCSPod(pod *corev1.Pod) bool {
	if !(&session.Process{Name: pod.Name}).IsLCS() {
		return false
	}
	for k, v := range pod.Labels {
		if strings.HasPrefix(k, "role.") && v == string(session.RoleInfrastructure) {
			return true
		}
	}
	return false
}
