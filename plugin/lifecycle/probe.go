package lifecycle

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// nodeReadTimeout bounds reading a recreated process's node: the read has
// a bound of its own, so a slow probe of another process never shows up as
// this node being unreadable.
const nodeReadTimeout = 30 * time.Second

// probeProgressEvery is how often a probe that is still waiting says so.
const probeProgressEvery = 5 * time.Second

// nodeOf is the node a Ready recreated process runs on, for its probe
// (nil: not scheduled, nothing to probe).
func (r *recreation) nodeOf(ctx context.Context, m procreate.Member) (*corev1.Node, error) {
	r.mu.Lock()
	made := r.pods[types.NamespacedName{Namespace: m.Namespace, Name: m.Name}]
	r.mu.Unlock()
	var nodeName string
	if made != nil {
		nodeName = made.Spec.NodeName
	}
	if p := r.cfg.Cache.Get(m.Namespace, m.Name); p != nil && (made == nil || p.UID == made.UID) && p.Spec.NodeName != "" {
		nodeName = p.Spec.NodeName
	}
	if nodeName == "" {
		return nil, nil
	}
	nctx, cancel := context.WithTimeout(ctx, nodeReadTimeout)
	defer cancel()
	node, err := readNode(nctx, r.cfg, nodeName)
	if err != nil {
		return nil, fmt.Errorf("its node %q cannot be read to check it answers: %w", nodeName, err)
	}
	return node, nil
}

// probed turns the probes of recreated processes into one error each that
// did not pass, and says which ones were not checked (kwok fake nodes).
func (r *recreation) probed(probes []procreate.Probed) []error {
	var errs []error
	for _, p := range probes {
		m, t := p.Member, p.Target
		switch {
		case p.Skipped:
			progressf(r.cfg.Progress, "%s/%s: %s on %s not checked: %v", m.Namespace, m.Name, t.Proto(), t.Addr, procreate.ErrFakeNode)
		case p.NodeErr != nil:
			errs = append(errs, fmt.Errorf("%s/%s is Ready, but %w", m.Namespace, m.Name, p.NodeErr))
		case p.Err != nil:
			errs = append(errs, fmt.Errorf("%s/%s is Ready but does not answer %s on %s (node %s, NodePort %d; use --no-probe if node addresses are not reachable from here): %w",
				m.Namespace, m.Name, t.Proto(), t.Addr, t.Node, t.NodePort, p.Err))
		}
	}
	return errs
}

// waitingLines is a probe's OnWaiting: one progress line per process every
// probeProgressEvery, saying what it waits for and how long is left.
func waitingLines(cfg Config) func(procreate.Member, procreate.Waiting) {
	var mu sync.Mutex
	last := map[types.NamespacedName]time.Time{}
	return func(m procreate.Member, w procreate.Waiting) {
		mu.Lock()
		defer mu.Unlock()
		k := types.NamespacedName{Namespace: m.Namespace, Name: m.Name}
		if time.Since(last[k]) >= probeProgressEvery {
			last[k] = time.Now()
			progressf(cfg.Progress, "%s/%s", m.Namespace, w)
		}
	}
}

// readNode reads one node with a list by name: the rules kubectl-drunc
// ships grant list and watch on nodes, not get.
func readNode(ctx context.Context, cfg Config, name string) (*corev1.Node, error) {
	list, err := cfg.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", name).String()})
	if err != nil {
		return nil, err
	}
	for i := range list.Items {
		if list.Items[i].Name == name {
			return &list.Items[i], nil
		}
	}
	return nil, fmt.Errorf("node %q not found", name)
}
