package lifecycle

import (
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// finalStates remembers, from the shared informer, each deleted pod's last
// state (its exit code) and when its deletion was seen.
type finalStates struct {
	mu   sync.Mutex
	last map[types.UID]*corev1.Pod
	gone map[types.UID]time.Time
	stop func()
	// onDelete, if set, is called (outside the lock) for every deletion.
	onDelete func(*corev1.Pod)
}

func observeDeletions(c *informers.Cache) (*finalStates, error) {
	return observeDeletionsWith(c, nil)
}

func observeDeletionsWith(c *informers.Cache, onDelete func(*corev1.Pod)) (*finalStates, error) {
	f := &finalStates{last: map[types.UID]*corev1.Pod{}, gone: map[types.UID]time.Time{}, onDelete: onDelete}
	reg, err := c.AddEventHandler(cache.ResourceEventHandlerFuncs{
		DeleteFunc: func(obj any) {
			if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = t.Obj
			}
			pod, ok := obj.(*corev1.Pod)
			if !ok {
				return
			}
			f.mu.Lock()
			f.last[pod.UID] = pod
			f.gone[pod.UID] = time.Now()
			f.mu.Unlock()
			if f.onDelete != nil {
				f.onDelete(pod)
			}
		},
	})
	if err != nil {
		return nil, err
	}
	f.stop = func() { _ = c.RemoveEventHandler(reg) }
	return f, nil
}

// final returns the pod's last state as deleted, or nil.
func (f *finalStates) final(uid types.UID) (*corev1.Pod, time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last[uid], f.gone[uid]
}
