package scale

import (
	"fmt"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// A session of thousands of processes, each with its Service, leaves the
// controller-manager busy for minutes after every pod is Ready: its
// endpoint controllers match every pod against every Service of the
// namespace (BENCHMARKS.md). Steps measured meanwhile would measure that
// backlog, and a deletion started at once would compete with it while the
// other side's did not. So each step starts on a settled cluster, and the
// report says how long settling took.
const (
	settleWindow = 5 * time.Second
	// settleQuiet is the controller-manager's CPU over settleWindow under
	// which the cluster is settled: 10 % of a core (idle, with 1,000 fake
	// nodes, it uses under 5 %).
	settleQuiet = settleWindow / 10
	settlePoll  = time.Second
)

// settling is how long the cluster took to settle, and its CPU meanwhile.
type settling struct {
	Wait  time.Duration // until the quiet window ended (or the bound)
	Plane planeCPU
	Quiet bool // false: the bound came first, or the cluster is not on this machine
}

// WaitString is how long settling took, or why it was not measured.
func (s settling) WaitString() string {
	switch {
	case !*settleSteps:
		return "not waited for (-settle=false)"
	case s.Plane == nil:
		return "not measured (the cluster's processes are not on this machine)"
	case !s.Quiet:
		return fmt.Sprintf("not settled after %.1f s", s.Wait.Seconds())
	}
	return fmt.Sprintf("%.1f s", s.Wait.Seconds())
}

func (s settling) String() string {
	if s.Plane == nil {
		return s.WaitString()
	}
	return s.WaitString() + "; control plane CPU " + s.Plane.String()
}

// cpuReading is the controller-manager's CPU time at a moment.
type cpuReading struct {
	at  time.Time
	cpu time.Duration
}

// quietOver says whether the readings (oldest first) span window and the
// CPU used over the last window is under quiet.
func quietOver(readings []cpuReading, window, quiet time.Duration) bool {
	if len(readings) < 2 {
		return false
	}
	last := readings[len(readings)-1]
	for i := len(readings) - 2; i >= 0; i-- {
		if last.at.Sub(readings[i].at) >= window {
			return last.cpu-readings[i].cpu < quiet
		}
	}
	return false
}

// settle waits, at most bound, until the controller-manager used less than
// settleQuiet over settleWindow; with -settle=false it returns at once.
func settle(tc *testcluster.Cluster, bound time.Duration) settling {
	start := time.Now()
	before := readPlaneCPU(tc)
	if before == nil || !*settleSteps {
		return settling{}
	}
	readings := []cpuReading{{start, before["controller-manager"]}}
	for time.Since(start) < bound {
		time.Sleep(settlePoll)
		now := readPlaneCPU(tc)
		if now == nil {
			break // a component went away: report what was used until then
		}
		readings = append(readings, cpuReading{time.Now(), now["controller-manager"]})
		if quietOver(readings, settleWindow, settleQuiet) {
			return settling{Wait: time.Since(start), Plane: now.since(before), Quiet: true}
		}
	}
	return settling{Wait: time.Since(start), Plane: readPlaneCPU(tc).since(before)}
}

func TestQuietOverTheLastWindowOnly(t *testing.T) {
	t0 := time.Unix(0, 0)
	at := func(s int, cpu time.Duration) cpuReading {
		return cpuReading{t0.Add(time.Duration(s) * time.Second), cpu}
	}
	cases := []struct {
		name     string
		readings []cpuReading
		want     bool
	}{
		{"one reading", []cpuReading{at(0, 0)}, false},
		{"not a window yet", []cpuReading{at(0, 0), at(4, 0)}, false},
		{"idle over the window", []cpuReading{at(0, 0), at(5, 400*time.Millisecond)}, true},
		{"busy over the window", []cpuReading{at(0, 0), at(5, 3*time.Second)}, false},
		{"busy before, idle over the last window", []cpuReading{at(0, 0), at(3, 6*time.Second), at(8, 6200*time.Millisecond)}, true},
		{"idle before, busy over the last window", []cpuReading{at(0, 0), at(3, 100*time.Millisecond), at(8, 4*time.Second)}, false},
	}
	for _, c := range cases {
		if got := quietOver(c.readings, settleWindow, settleQuiet); got != c.want {
			t.Errorf("%s: quietOver = %v, want %v", c.name, got, c.want)
		}
	}
}
