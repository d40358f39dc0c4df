package testcluster

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
)

// NodePort range the tests draw from (the cluster allows 1024-32767; the
// API server's own random allocations favour the top of it).
const (
	nodePortLow  = 30000
	nodePortSize = 2700
	// drawsBeforeReset: once this many ports were drawn on a kept cluster,
	// the register starts again (their sessions are long gone).
	drawsBeforeReset = 2000
)

// examplePorts are the fixed NodePorts of the project's examples, which
// their tests boot as written.
var examplePorts = map[int]bool{30500: true, 30333: true, 30600: true, 30633: true}

// NodePorts draws n distinct NodePorts that no other test on this cluster
// has drawn, in any test process. NodePorts are cluster-wide, and a port
// is not only taken while its service exists: a test that kills a
// connection server frees its port until restart takes it back, and a
// random draw of another test must not take it meanwhile. The draws are
// registered in the cluster's state directory, under a file lock.
func (c *Cluster) NodePorts(t testing.TB, n int) []int {
	t.Helper()
	ports, err := c.drawNodePorts(n)
	if err != nil {
		t.Fatalf("drawing %d NodePorts: %v", n, err)
	}
	return ports
}

// NodePort draws one NodePort, as NodePorts.
func (c *Cluster) NodePort(t testing.TB) int {
	t.Helper()
	return c.NodePorts(t, 1)[0]
}

func (c *Cluster) drawNodePorts(n int) ([]int, error) {
	f, err := os.OpenFile(filepath.Join(c.StateDir, "nodeports-drawn"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return nil, err
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing unlocks too
	drawn := map[int]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if p, err := strconv.Atoi(sc.Text()); err == nil {
			drawn[p] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(drawn)+n > drawsBeforeReset {
		if err := f.Truncate(0); err != nil {
			return nil, err
		}
		drawn = map[int]bool{}
	}
	var ports []int
	for _, i := range rand.Perm(nodePortSize) {
		if p := nodePortLow + i; !drawn[p] && !examplePorts[p] {
			ports = append(ports, p)
			if len(ports) == n {
				break
			}
		}
	}
	if _, err := f.Seek(0, 2); err != nil {
		return nil, err
	}
	for _, p := range ports {
		if _, err := fmt.Fprintln(f, p); err != nil {
			return nil, err
		}
	}
	return ports, nil
}
