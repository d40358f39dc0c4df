package waitfor

import (
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// entry is one followed process: what it last was and how it stands.
type entry struct {
	view     process.View
	seen     bool // its pod was seen (else: expected, not created yet)
	present  bool // its pod is in the cache and selected now
	recorded bool // no pod yet, as the session record says (view is its)
	met      bool
	hopeless bool
}

// dirtyKeys collects, from the informer's events, the processes whose pod
// changed since the last evaluation: each evaluation then looks up only
// those, so a wait over N processes costs O(1) per event, not O(N).
type dirtyKeys struct {
	mu   sync.Mutex
	keys map[types.NamespacedName]bool
	poke chan struct{}
}

func newDirtyKeys() *dirtyKeys {
	return &dirtyKeys{keys: map[types.NamespacedName]bool{}, poke: make(chan struct{}, 1)}
}

// handler marks the key of every added, updated or deleted pod.
func (d *dirtyKeys) handler() cache.ResourceEventHandler {
	mark := func(obj any) {
		k, ok := keyOf(obj)
		if !ok {
			return
		}
		d.mu.Lock()
		d.keys[k] = true
		d.mu.Unlock()
		select {
		case d.poke <- struct{}{}:
		default:
		}
	}
	return cache.ResourceEventHandlerFuncs{AddFunc: mark, UpdateFunc: func(_, obj any) { mark(obj) }, DeleteFunc: mark}
}

// take returns the keys marked since the last call.
func (d *dirtyKeys) take() map[types.NamespacedName]bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := d.keys
	d.keys = map[types.NamespacedName]bool{}
	return k
}

// keyOf is the namespace/name of an informer event's pod, tombstones
// included.
func keyOf(obj any) (types.NamespacedName, bool) {
	switch o := obj.(type) {
	case *corev1.Pod:
		return types.NamespacedName{Namespace: o.Namespace, Name: o.Name}, true
	case cache.DeletedFinalStateUnknown:
		if p, ok := o.Obj.(*corev1.Pod); ok {
			return types.NamespacedName{Namespace: p.Namespace, Name: p.Name}, true
		}
		ns, name, found := strings.Cut(o.Key, "/")
		return types.NamespacedName{Namespace: ns, Name: name}, found
	}
	return types.NamespacedName{}, false
}
