package scale

import (
	"context"
	"testing"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/watchlatency"
)

// listing is `kubectl drunc ps -A` against `kubectl get pods -A -l
// creator.drunc.daq`, alternately, -rounds times each.
func listing(b *testing.B, tc *testcluster.Cluster, plugin string, pods int) (ps, kubectl []proc.Usage) {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	for range *rounds {
		u := command(b, ctx, "ps", plugin, nil, "--kubeconfig="+tc.Kubeconfig, "ps", "-A")
		if u.Lines < pods {
			b.Fatalf("ps -A printed %d lines for %d pods", u.Lines, pods)
		}
		ps = append(ps, u)
		u = command(b, ctx, "kubectl-get", kubectlPath, nil, "--kubeconfig="+tc.Kubeconfig, "get", "pods", "-A", "-l", "creator.drunc.daq")
		if u.Lines < pods {
			b.Fatalf("kubectl get printed %d lines for %d pods", u.Lines, pods)
		}
		kubectl = append(kubectl, u)
	}
	return ps, kubectl
}

// sessionStatus is `kubectl drunc status -n SESSION` on the booted,
// healthy session (exit 0), -rounds times.
func sessionStatus(b *testing.B, tc *testcluster.Cluster, plugin, ns string) (runs []proc.Usage) {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	for range *rounds {
		runs = append(runs, command(b, ctx, "status", plugin, nil, "--kubeconfig="+tc.Kubeconfig, "status", "-n", ns))
	}
	return runs
}

// watchLatency runs `ps -A -w -L seq` while -updates label patches go to
// the session's pods at -rate per second (spread over all of them); see
// watchlatency for what is measured.
func watchLatency(b *testing.B, tc *testcluster.Cluster, plugin, ns string, names []string) watchlatency.Result {
	pods := make([]types.NamespacedName, len(names))
	for i, n := range names {
		pods[i] = types.NamespacedName{Namespace: ns, Name: n}
	}
	return watchlatency.Measure(b, watchlatency.Config{
		Client: tc.Client, Namespace: ns, Selector: "seq", Pods: pods, Stride: 7919,
		Updates: *updates, Rate: *rate, Timeout: *phaseTimeout,
		Ps: proc.Cmd{Bin: plugin, Args: []string{"--kubeconfig=" + tc.Kubeconfig, "ps", "-A", "-w", "-L", "seq"}, Env: profileEnv("ps-w", plugin)},
	})
}
