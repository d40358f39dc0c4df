package podspec

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// PodSecurityEnforceLabel is set to "privileged" on every session namespace,
// as drunc does: readout applications need privileged pods.
const PodSecurityEnforceLabel = "pod-security.kubernetes.io/enforce"

func (r *renderer) namespace() *corev1.Namespace {
	return &corev1.Namespace{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{
			Name: r.s.Name,
			Labels: map[string]string{
				r.keys.Creator():        session.CreatorValue,
				PodSecurityEnforceLabel: "privileged",
				session.ManagedByLabel:  session.ManagedByValue,
			},
		},
	}
}

// podLabels are drunc's pod labels plus our managed-by label.
func (r *renderer) podLabels(p *session.Process) map[string]string {
	return map[string]string{
		session.AppLabel:       p.Name,
		r.keys.Creator():       session.CreatorValue,
		r.keys.UUID():          p.UUID,
		r.keys.TreeID():        p.TreeID,
		r.keys.Role():          string(p.Role()),
		session.ManagedByLabel: session.ManagedByValue,
	}
}
