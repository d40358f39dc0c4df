package bootexec

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/lifecycle"
)

// replaceChanged kills the processes whose pods differ from the
// configuration, in drunc's kill stage order (plugin/lifecycle), and
// deletes their services, so bootStages creates them again as configured.
// A process that could not be killed is not created again.
func (b *booter) replaceChanged(ctx context.Context) {
	res, err := lifecycle.Kill(ctx, lifecycle.Config{Client: b.cfg.Client, Cache: b.cache, MaxInFlight: b.cfg.MaxInFlight, Progress: b.cfg.Progress}, b.replacePods)
	if res == nil {
		b.res.Blocked = "the changed processes could not be killed: " + err.Error()
		return
	}
	for _, k := range res.Killed {
		if !k.Gone {
			b.markRunning(k.View.Name)
			b.mu.Lock()
			p := &b.res.Processes[b.index[k.View.Name]]
			p.Outcome, p.Reason = CreateFailed, "not replaced: its old pod could not be killed"
			b.mu.Unlock()
			continue
		}
		err := b.cfg.Client.CoreV1().Services(b.ns).Delete(ctx, k.View.Name, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			b.prog.done("service/%s of replaced process could not be deleted: %v", k.View.Name, err)
		}
	}
	b.prog.done("replaced: killed %d changed process(es)", len(res.Killed))
}
