package lifecycle

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Owned tells whether drunc (this plugin or drunc's Python manager) made
// the object: it carries the creator label. Nothing else is ever deleted or
// modified by a lifecycle engine.
func Owned(obj metav1.Object, keys session.LabelKeys) bool {
	_, ok := obj.GetLabels()[keys.Creator()]
	return ok
}
