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
	// sure: the deletion came from the watch, not from a relist that no
	// longer listed the pod (a tombstone can be for a pod that exists: a
	// relist older than the last watch event drops it for a moment).
	sure map[types.UID]bool
	// onDelete, if set, is called (outside the lock) for every deletion
	// the watch reported (not for tombstones).
	onDelete func(*corev1.Pod)
}

func observeDeletions(c *informers.Cache) (*finalStates, error) {
	return observeDeletionsWith(c, nil)
}

func observeDeletionsWith(c *informers.Cache, onDelete func(*corev1.Pod)) (*finalStates, error) {
	f := &finalStates{last: map[types.UID]*corev1.Pod{}, gone: map[types.UID]time.Time{}, sure: map[types.UID]bool{}, onDelete: onDelete}
	reg, err := c.AddEventHandler(cache.ResourceEventHandlerFuncs{
		DeleteFunc: func(obj any) {
			t, tombstone := obj.(cache.DeletedFinalStateUnknown)
			if tombstone {
				obj = t.Obj
			}
			pod, ok := obj.(*corev1.Pod)
			if !ok {
				return
			}
			f.mu.Lock()
			f.last[pod.UID] = pod
			f.gone[pod.UID] = time.Now()
			f.sure[pod.UID] = !tombstone
			f.mu.Unlock()
			if f.onDelete != nil && !tombstone {
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

// deletedForSure tells whether the watch reported the pod deleted.
func (f *finalStates) deletedForSure(uid types.UID) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sure[uid]
}
