package scale

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// planeComponents are the control plane's processes, as hack/cluster names
// their pid files.
var planeComponents = []string{"apiserver", "controller-manager", "etcd", "scheduler", "kwok"}

// userHZ is the unit of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux).
const userHZ = 100

// planeCPU is the CPU time of each control-plane process. On a 2-core
// machine the plugin and its contender share the cores with the cluster,
// so a step's report says where the cluster's time went, per component.
type planeCPU map[string]time.Duration

// readPlaneCPU reads the control plane's CPU times from /proc, through the
// pid files of a cluster started by hack/cluster; nil for a cluster this
// machine does not run (an external kubeconfig).
func readPlaneCPU(tc *testcluster.Cluster) planeCPU {
	p := planeCPU{}
	for _, c := range planeComponents {
		pid, err := os.ReadFile(filepath.Join(tc.StateDir, "pids", c+".pid"))
		if err != nil {
			return nil
		}
		stat, err := os.ReadFile(filepath.Join("/proc", strings.TrimSpace(string(pid)), "stat"))
		if err != nil {
			return nil
		}
		cpu, err := statCPU(string(stat))
		if err != nil {
			return nil
		}
		p[c] = cpu
	}
	return p
}

// statCPU is utime+stime of a /proc/PID/stat line. Its fields are counted
// after the command's closing parenthesis: the command may hold spaces.
func statCPU(stat string) (time.Duration, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("no command in %q", stat)
	}
	// After ")": state is field 3, utime 14 and stime 15 (proc(5)).
	f := strings.Fields(stat[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("%d fields after the command in %q", len(f), stat)
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("CPU time %q: %w", s, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / userHZ, nil
}

// since is the CPU each component used from before to p; nil if either
// reading is missing or a component restarted in between.
func (p planeCPU) since(before planeCPU) planeCPU {
	if p == nil || before == nil {
		return nil
	}
	d := planeCPU{}
	for c, t := range p {
		if t < before[c] {
			return nil
		}
		d[c] = t - before[c]
	}
	return d
}

// measurePlane runs step and returns the control plane's CPU during it.
func measurePlane(tc *testcluster.Cluster, step func()) planeCPU {
	before := readPlaneCPU(tc)
	step()
	return readPlaneCPU(tc).since(before)
}

func (p planeCPU) String() string {
	if p == nil {
		return "not measured (the cluster's processes are not on this machine)"
	}
	var total time.Duration
	parts := make([]string, 0, len(planeComponents))
	for _, c := range planeComponents {
		total += p[c]
		parts = append(parts, fmt.Sprintf("%s %.1f", c, p[c].Seconds()))
	}
	return fmt.Sprintf("%.1f s (%s)", total.Seconds(), strings.Join(parts, ", "))
}

func TestStatCPUCountsFieldsAfterTheCommand(t *testing.T) {
	// A command with spaces and a parenthesis; utime 250, stime 50 ticks.
	line := "4242 (kube (api) server) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 100 2000000 5000 18446744073709551615"
	got, err := statCPU(line)
	if err != nil || got != 3*time.Second {
		t.Fatalf("statCPU = %v, %v; want 3s", got, err)
	}
	if _, err := statCPU("4242 (truncated) S 1"); err == nil {
		t.Fatal("statCPU of a truncated line: no error")
	}
}

func TestReadPlaneCPUReadsThePidFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "pids"), 0o755); err != nil {
		t.Fatal(err)
	}
	tc := &testcluster.Cluster{StateDir: dir}
	if p := readPlaneCPU(tc); p != nil {
		t.Fatalf("without pid files: %v, want nil", p)
	}
	// This test's own process stands for every component.
	self := []byte(strconv.Itoa(os.Getpid()))
	for _, c := range planeComponents {
		if err := os.WriteFile(filepath.Join(dir, "pids", c+".pid"), self, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := readPlaneCPU(tc)
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) { // busy: the process's CPU time must grow
	}
	d := readPlaneCPU(tc).since(before)
	if len(d) != len(planeComponents) || d["apiserver"] <= 0 {
		t.Fatalf("CPU over 0.3 s of spinning: %v", d)
	}
	if back := before.since(readPlaneCPU(tc)); back != nil {
		t.Fatalf("a reading older than its base (a restart) gave %v, want nil", back)
	}
}
