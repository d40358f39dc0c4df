package scale

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// hosts returns the names of -nodes Ready fake nodes named -node-prefix
// NNNN (as `NODES="$(seq -f 'np02-srv-%04g' 1000)" make cluster-up` makes
// them). Missing ones are created only with -create-nodes (and deleted
// after): a thousand nodes belong to a cluster of their own, not to a
// cluster shared with other tests, so by default the benchmark skips.
func hosts(b *testing.B, tc *testcluster.Cluster) []string {
	names := make([]string, *nodeCount)
	for i := range names {
		names[i] = fmt.Sprintf("%s%04d", *nodePrefix, i+1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ready, err := readyNodes(ctx, tc)
	if err != nil {
		b.Fatal(err)
	}
	var missing []string
	for _, n := range names {
		if !ready[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return names
	}
	if !*makeNodes {
		b.Skipf("%d of the %d fake nodes %s0001... are not Ready; start a cluster of its own with them (make bench-scale), or pass -create-nodes",
			len(missing), len(names), *nodePrefix)
	}
	createNodes(b, ctx, tc, missing)
	for {
		ready, err := readyNodes(ctx, tc)
		n := 0
		for _, name := range names {
			if ready[name] {
				n++
			}
		}
		if err == nil && n == len(names) {
			return names
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%d of %d fake nodes Ready after 10 minutes (%v)", n, len(names), err)
		case <-time.After(time.Second):
		}
	}
}

func readyNodes(ctx context.Context, tc *testcluster.Cluster) (map[string]bool, error) {
	l, err := tc.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, n := range l.Items {
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
				out[n.Name] = true
			}
		}
	}
	return out, nil
}

// createNodes creates the fake nodes 32 at a time; those it created are
// deleted when the benchmark ends.
func createNodes(b *testing.B, ctx context.Context, tc *testcluster.Cluster, names []string) {
	work := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var made []string
	for range 32 {
		wg.Go(func() {
			for name := range work {
				_, err := tc.Client.CoreV1().Nodes().Create(ctx, testcluster.FakeNode(name), metav1.CreateOptions{})
				switch {
				case err == nil:
					mu.Lock()
					made = append(made, name)
					mu.Unlock()
				case !apierrors.IsAlreadyExists(err):
					b.Errorf("creating fake node %s: %v", name, err)
				}
			}
		})
	}
	for _, n := range names {
		work <- n
	}
	close(work)
	wg.Wait()
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		for _, n := range made {
			if err := tc.Client.CoreV1().Nodes().Delete(ctx, n, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
				b.Logf("deleting fake node %s: %v", n, err)
			}
		}
	})
	if b.Failed() {
		b.FailNow()
	}
	b.Logf("created %d fake nodes (%s...)", len(made), strings.TrimSuffix(*nodePrefix, "-"))
}
