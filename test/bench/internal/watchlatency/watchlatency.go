// Package watchlatency measures `kubectl drunc ps -w`'s latency: while ps
// -A -w -L seq runs, label patches seq=<run>.<N> go to pods at a fixed
// rate, and the latency of each is from just before its PATCH is sent to
// the moment ps's line with that seq is read from its stdout. Two
// references come with it: an informer in the benchmark process (send →
// its event handler: what the API server and the machine cost before any
// printing), and the time from the PATCH's response (the change
// committed) to ps's line: the watch path and ps alone.
package watchlatency

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

// Config is one measurement.
type Config struct {
	// Client sends the patches and feeds the reference informer.
	Client kubernetes.Interface
	// Namespace and Selector scope the reference informer ("": all
	// namespaces); Selector must require the seq label.
	Namespace, Selector string
	// Pods are patched in turn: update i goes to Pods[(i*Stride)%len(Pods)].
	// ps's initial table is taken as printed after len(Pods)+1 lines.
	Pods   []types.NamespacedName
	Stride int
	// Updates patches are sent at Rate per second.
	Updates, Rate int
	// Timeout bounds the whole measurement.
	Timeout time.Duration
	// Ps is `ps -A -w -L seq` of the binary measured (its OnLine is set
	// here); it is interrupted once every update is printed or 30 s after
	// the last was sent.
	Ps proc.Cmd
}

// Result is the latencies of the updates ps printed, and ps's usage.
type Result struct {
	Latency     []time.Duration // send → ps's line
	AfterCommit []time.Duration // the PATCH's response → ps's line
	Informer    []time.Duration // send → the reference informer's event
	Ps          proc.Usage
}

// Measure runs one measurement; updates never printed fail the benchmark.
func Measure(b testing.TB, c Config) Result {
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	// seq values carry this run's id, so that no other pod's label (an
	// earlier run's) can be taken for one of these updates.
	s := &seqs{run: testcluster.UniqueName("r"), n: c.Updates}
	seenByInformer := make([]atomic.Int64, c.Updates)
	stopInformer := s.reference(ctx, b, c, seenByInformer)
	defer stopInformer()

	printed := make([]atomic.Int64, c.Updates)
	var lines atomic.Int64
	ready := make(chan struct{})
	var readyOnce sync.Once
	ps := c.Ps
	ps.OnLine = func(line string, at time.Time) {
		if lines.Add(1) == int64(len(c.Pods))+1 { // header + the initial table
			readyOnce.Do(func() { close(ready) })
		}
		if f := strings.Fields(line); len(f) > 0 {
			if n := s.of(f[len(f)-1]); n >= 0 {
				printed[n].CompareAndSwap(0, at.UnixNano())
			}
		}
	}
	psCtx, stopPs := context.WithCancel(ctx)
	defer stopPs()
	type exit struct {
		u     proc.Usage
		err   error
		early bool // before it was interrupted
	}
	done := make(chan exit, 1)
	go func() {
		u, err := proc.Run(psCtx, ps)
		done <- exit{u, err, psCtx.Err() == nil}
	}()
	select {
	case <-ready:
	case e := <-done:
		b.Fatalf("ps -w exited before its initial table: %v\n%s", e.err, proc.LastLines(e.u.Stderr, 30))
	case <-ctx.Done():
		b.Fatal("ps -w did not print the initial table")
	}
	sent, committed := s.send(ctx, b, c)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && countSet(printed) < c.Updates {
		time.Sleep(50 * time.Millisecond)
	}
	stopPs()
	e := <-done
	if e.early && e.err != nil {
		b.Fatalf("ps -w: %v\n%s", e.err, proc.LastLines(e.u.Stderr, 30))
	}
	r := Result{Ps: e.u}
	missing := 0
	for i := range sent {
		at := printed[i].Load()
		if at == 0 {
			missing++
			continue
		}
		r.Latency = append(r.Latency, time.Unix(0, at).Sub(sent[i]))
		if t := seenByInformer[i].Load(); t != 0 {
			r.Informer = append(r.Informer, time.Unix(0, t).Sub(sent[i]))
		}
		if t := committed[i].Load(); t != 0 {
			r.AfterCommit = append(r.AfterCommit, max(0, time.Unix(0, at).Sub(time.Unix(0, t))))
		}
	}
	if missing > 0 {
		b.Errorf("%d of %d updates never printed by ps -w", missing, c.Updates)
	}
	return r
}

// send patches seq=<run>.<i> on one pod after another at c.Rate; it
// returns when each was sent and when its response came.
func (s *seqs) send(ctx context.Context, b testing.TB, c Config) ([]time.Time, []atomic.Int64) {
	sent := make([]time.Time, c.Updates)
	committed := make([]atomic.Int64, c.Updates)
	tick := time.NewTicker(time.Second / time.Duration(c.Rate))
	defer tick.Stop()
	var wg sync.WaitGroup
	for i := range c.Updates {
		<-tick.C
		p := c.Pods[(i*c.Stride)%len(c.Pods)]
		patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"labels": map[string]string{"seq": s.value(i)}}})
		sent[i] = time.Now()
		wg.Go(func() {
			if _, err := c.Client.CoreV1().Pods(p.Namespace).Patch(ctx, p.Name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
				b.Errorf("patch %d: %v", i, err)
			}
			committed[i].Store(time.Now().UnixNano())
		})
	}
	wg.Wait()
	return sent, committed
}

// seqs are the label values of one run: <run>.<N>, 0 <= N < n.
type seqs struct {
	run string
	n   int
}

func (s *seqs) value(i int) string { return s.run + "." + strconv.Itoa(i) }

// of is the N of a label value of this run, or -1.
func (s *seqs) of(v string) int {
	rest, ok := strings.CutPrefix(v, s.run+".")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 || n >= s.n {
		return -1
	}
	return n
}

func countSet(v []atomic.Int64) int {
	n := 0
	for i := range v {
		if v[i].Load() != 0 {
			n++
		}
	}
	return n
}
