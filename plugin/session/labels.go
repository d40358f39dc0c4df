package session

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// The keys drunc's Kubernetes process manager writes; Domain is its
// settings.labels.drunc_label ("drunc.daq" by default).
type LabelKeys struct{ Domain string }

// DefaultLabelDomain is drunc's default settings.labels.drunc_label.
const DefaultLabelDomain = "drunc.daq"

// CreatorValue is the value of the creator label on every drunc object.
const CreatorValue = "K8sProcessManager"

// AppLabel carries the process name on each pod, as drunc writes it.
const AppLabel = "app"

// ManagedByLabel tells kubectl-drunc's objects apart from drunc's own (both
// carry the creator label; only ours carry this one).
const (
	ManagedByLabel = "app.kubernetes.io/managed-by"
	ManagedByValue = "kubectl-drunc"
)

// BootRecordAnnotation holds the JSON boot record of a process (BootRecord),
// so restart can recreate it from any terminal.
const BootRecordAnnotation = "kubectl-drunc/boot-record"

// Keys returns the label keys for a domain ("" means the default).
func Keys(domain string) LabelKeys {
	if domain == "" {
		domain = DefaultLabelDomain
	}
	return LabelKeys{Domain: domain}
}

func (k LabelKeys) Creator() string { return "creator." + k.Domain }
func (k LabelKeys) UUID() string    { return "uuid." + k.Domain }
func (k LabelKeys) TreeID() string  { return "tree-id." + k.Domain }
func (k LabelKeys) Role() string    { return "role." + k.Domain }

// CreatorSelector selects every drunc object (the creator key exists).
func (k LabelKeys) CreatorSelector() string { return k.Creator() }

// CheckLabelDomain tells whether d can end drunc's label keys (tree-id.<d>
// must be a valid label key): what settings.labels.drunc_label and
// --drunc-label accept.
func CheckLabelDomain(d string) error {
	if msgs := validation.IsQualifiedName("tree-id." + d); d == "" || strings.Contains(d, "/") || len(msgs) > 0 {
		return fmt.Errorf("%q cannot end a label key (like drunc.daq: letters, digits, '.', '-', '_')", d)
	}
	return nil
}
