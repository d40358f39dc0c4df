// Package logs measures `kubectl drunc logs -f` following a whole DUNE
// session: 400 processes on 20 hosts, each written to at -rate lines per
// second for -duration (kwok serves each pod's log from a file, through
// the API server's pods/log, as a kubelet would). It reports the plugin's
// peak RSS and CPU (its rusage, from start to exit), and checks that every
// line written was printed. kwok follows each log file with an inotify
// instance of its own, so the machine running kwok needs
// fs.inotify.max_user_instances above -processes (checked first).
//
//	make bench BENCH=LogsFollow BENCH_PKGS=./test/bench/logs
package logs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/pods"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

var (
	processes = flagInt("processes", 400, "processes followed")
	nodes     = flagInt("nodes", 20, "kwok nodes")
	rate      = flagInt("rate", 1, "lines per second written to each process's log")
	duration  = flagDuration("duration", time.Minute, "how long lines are written")
)

// marker is the line each log gets until its stream has printed it: with
// --tail 0, a line written before its stream is open is never printed.
const marker = "stream open for process "

func BenchmarkLogsFollow(b *testing.B) {
	tc := testcluster.Get(b)
	checkInotify(b, *processes)
	hosts := testcluster.NodeNames("bench-lg", *nodes)
	tc.Nodes(b, hosts...)
	ns := tc.Namespace(b, "bench-logs")
	logs := populate(b, tc, ns, hosts)

	ctx, cancel := context.WithTimeout(context.Background(), *duration+5*time.Minute)
	defer cancel()
	var printed atomic.Int64
	open := make([]atomic.Bool, len(logs))
	onLine := func(line string, _ time.Time) {
		if _, rest, ok := strings.Cut(line, marker); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n < len(open) {
				open[n].Store(true)
			}
			return
		}
		printed.Add(1)
	}
	// logs -f runs until runCtx ends: then SIGINT, as a user's Ctrl-C.
	runCtx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	var u proc.Usage
	exited := make(chan struct{})
	started := time.Now()
	go func() {
		defer close(exited)
		u, _ = proc.Run(runCtx, proc.Cmd{Bin: testcluster.PluginBinary(b), OnLine: onLine,
			Args: []string{"--kubeconfig=" + tc.Kubeconfig, "logs", "-f", "-n", ns, "--tail", "0"}})
	}()
	// The streams open (--tail 0: nothing before); at least 10 s, as always.
	waitStreams(b, logs, open, started.Add(10*time.Second))
	b.Logf("%d streams open %s after logs -f started", len(logs), time.Since(started).Round(time.Millisecond))

	written := write(b, logs, *rate, *duration)
	deadline := time.Now().Add(time.Minute)
	for printed.Load() < written && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	interrupt()
	<-exited
	if u.Code != 0 {
		b.Errorf("logs -f exited %d after SIGINT\n%s", u.Code, proc.LastLines(u.Stderr, 30))
	}
	b.ReportMetric(float64(u.MaxRSS)/1024, "peak-RSS-MiB")
	b.ReportMetric(u.CPU.Seconds(), "CPU-s")
	b.ReportMetric(100*u.CPU.Seconds()/duration.Seconds(), "CPU-%-of-a-core")
	b.ReportMetric(float64(printed.Load()), "lines")
	if got := printed.Load(); got != written {
		b.Errorf("%d lines written to %d processes, %d printed", written, len(logs), got)
	}
}

// waitStreams appends the marker to every log whose stream has not printed
// it yet, every 2 s, until all have and notBefore has passed (bounded: 3
// minutes).
func waitStreams(b *testing.B, logs []*testcluster.PodLog, open []atomic.Bool, notBefore time.Time) {
	deadline := time.Now().Add(3 * time.Minute)
	for {
		waiting := 0
		for i, l := range logs {
			if !open[i].Load() {
				waiting++
				l.Append(b, marker+strconv.Itoa(i))
			}
		}
		if waiting == 0 && time.Now().After(notBefore) {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d log streams not open after 3 minutes", waiting, len(logs))
		}
		time.Sleep(2 * time.Second)
	}
}

// write appends rate lines per second to every log for d; it returns how
// many lines it wrote.
func write(b *testing.B, logs []*testcluster.PodLog, rate int, d time.Duration) int64 {
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	var n int64
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end); i++ {
		for j, l := range logs {
			l.Append(b, fmt.Sprintf("INFO line %d of process %d: some DAQ message with a bit of payload", i, j))
			n++
		}
		<-tick.C
	}
	return n
}

// populate creates the processes with a served log each and waits until
// they all run and serve it.
func populate(b *testing.B, tc *testcluster.Cluster, ns string, hosts []string) []*testcluster.PodLog {
	s := &session.Session{Name: ns, User: "bench"}
	for i := range *processes {
		name := fmt.Sprintf("app-%03d", i)
		s.Processes = append(s.Processes, session.Process{Name: name, Host: hosts[i%len(hosts)], TreeID: fmt.Sprintf("0.%d", i),
			Executables: []session.Executable{{Exec: "daq_application", Args: []string{"-n", name}}}})
	}
	objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var logs []*testcluster.PodLog
	var all []*corev1.Pod
	for _, r := range objs.Processes {
		l := tc.ServeLogs(b, ns, r.Pod.Name, r.Pod.Spec.Containers[0].Name)
		l.Append(b, "started")
		logs = append(logs, l)
		all = append(all, r.Pod)
	}
	pods.DeleteOnCleanup(b, tc.Client, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	pods.Create(ctx, b, tc.Client, all, 32)
	if b.Failed() {
		b.FailNow()
	}
	pods.WaitRunning(ctx, b, tc.Client, ns, len(logs), time.Second)
	return logs
}
