package testcluster

import (
	"sync"
	"testing"
)

// Draws made at once, each through its own open file as separate test
// processes would, never give a port twice, nor an example's fixed port.
func TestNodePortsNeverTwice(t *testing.T) {
	c := &Cluster{StateDir: t.TempDir()}
	const draws, each = 40, 25
	got := make([][]int, draws)
	var wg sync.WaitGroup
	for i := range draws {
		wg.Go(func() { got[i] = c.NodePorts(t, each) })
	}
	wg.Wait()
	seen := map[int]bool{}
	for _, ports := range got {
		if len(ports) != each {
			t.Fatalf("a draw gave %d ports, want %d", len(ports), each)
		}
		for _, p := range ports {
			if seen[p] || examplePorts[p] || p < nodePortLow || p >= nodePortLow+nodePortSize {
				t.Errorf("port %d drawn twice, or an example's, or out of range", p)
			}
			seen[p] = true
		}
	}
}
