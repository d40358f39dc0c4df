package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// nodeReadTimeout bounds reading a recreated process's node: the read has
// a bound of its own, so a slow probe of another process never shows up as
// this node being unreadable.
const nodeReadTimeout = 30 * time.Second

// probeRecreated checks, as boot does after Ready, that a recreated process
// behind a NodePort answers on <node address>:<node port>: HTTP for the
// local connection server, TCP for the root controller (and any other
// process with a NodePort), within ReadyTimeout from now. Headless
// processes have nothing to reach; a process on a kwok fake node is not
// probed (unless ProbeFakeNodes), with a note saying so.
func probeRecreated(ctx context.Context, cfg Config, rc *Recreated, o RestartOptions) error {
	nodeName := rc.Pod.Spec.NodeName
	if p := cfg.Cache.Get(rc.Session, rc.Name); p != nil && p.UID == rc.Pod.UID && p.Spec.NodeName != "" {
		nodeName = p.Spec.NodeName
	}
	// Only a process behind a NodePort has anything to probe: the node is
	// read for those alone.
	if rc.Service == nil || podspec.NodePort(rc.Service) == 0 || nodeName == "" {
		return nil
	}
	nctx, cancel := context.WithTimeout(ctx, nodeReadTimeout)
	node, err := cfg.Client.CoreV1().Nodes().Get(nctx, nodeName, metav1.GetOptions{})
	cancel()
	if err != nil {
		return fmt.Errorf("%s/%s is Ready, but its node %q cannot be read to check it answers: %w", rc.Session, rc.Name, nodeName, err)
	}
	target, ok := procreate.TargetOf(rc.Name, rc.Service, node)
	if !ok {
		return nil
	}
	target.Fake = target.Fake && !o.ProbeFakeNodes
	var mu sync.Mutex
	var last time.Time
	err = procreate.Reach(ctx, target, o.ReadyTimeout, o.probeInterval(), func(w procreate.Waiting) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) >= probeProgressEvery {
			last = time.Now()
			progressf(cfg.Progress, "%s/%s", rc.Session, w)
		}
	})
	switch {
	case errors.Is(err, procreate.ErrFakeNode):
		progressf(cfg.Progress, "%s/%s: %s on %s not checked: %v", rc.Session, rc.Name, target.Proto(), target.Addr, err)
		return nil
	case err != nil:
		return fmt.Errorf("%s/%s is Ready but does not answer %s on %s (node %s, NodePort %d; use --no-probe if node addresses are not reachable from here): %v",
			rc.Session, rc.Name, target.Proto(), target.Addr, target.Node, target.NodePort, err)
	}
	return nil
}
