package scale

import (
	"context"
	"runtime"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// informerMemory is the heap the plugin's pod cache (informers.Start, as
// ps and every waiting verb build it) keeps per pod of the session, after
// its transform (Trim), and the same with Full (every field but
// managedFields, what -o yaml needs), measured in this process: live heap
// after a GC, with the cache, minus without.
func informerMemory(b *testing.B, tc *testcluster.Cluster, ns string, pods int) (trimmed, full float64) {
	measure := func(fullPods bool) float64 {
		client, err := informers.NewClient(tc.Config)
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
		defer cancel()
		before := liveHeap()
		c, err := informers.Start(ctx, informers.Config{Client: client, Namespace: ns, Full: fullPods})
		if err != nil {
			b.Fatal(err)
		}
		n := len(c.Pods())
		after := liveHeap()
		runtime.KeepAlive(c)
		if n < pods {
			b.Fatalf("the cache holds %d of %d pods", n, pods)
		}
		return float64(after-before) / float64(n)
	}
	return measure(false), measure(true)
}

func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
