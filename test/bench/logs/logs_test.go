// Package logs measures `kubectl drunc logs -f` following a whole DUNE
// session: 400 processes on 20 hosts, each written to at -rate lines per
// second for -duration (kwok serves each pod's log from a file, through
// the API server's pods/log, as a kubelet would). It reports the plugin's
// peak RSS and CPU (its rusage, from start to exit), and checks that every
// line written was printed.
//
//	make bench BENCH=LogsFollow
package logs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var (
	processes = flagInt("processes", 400, "processes followed")
	nodes     = flagInt("nodes", 20, "kwok nodes")
	rate      = flagInt("rate", 1, "lines per second written to each process's log")
	duration  = flagDuration("duration", time.Minute, "how long lines are written")
)

func BenchmarkLogsFollow(b *testing.B) {
	tc := testcluster.Get(b)
	hosts := testcluster.NodeNames("bench-lg", *nodes)
	tc.Nodes(b, hosts...)
	ns := tc.Namespace(b, "bench-logs")
	logs := populate(b, tc, ns, hosts)

	ctx, cancel := context.WithTimeout(context.Background(), *duration+5*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(b, ctx, "logs", "-f", "-n", ns, "--tail", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var printed atomic.Int64
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			printed.Add(1)
		}
	}()
	time.Sleep(10 * time.Second) // the streams open (--tail 0: nothing before)

	written := write(b, logs, *rate, *duration)
	deadline := time.Now().Add(time.Minute)
	for printed.Load() < written && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		b.Errorf("logs -f: %v", err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	b.ReportMetric(cpu.Seconds(), "CPU-s")
	b.ReportMetric(100*cpu.Seconds()/duration.Seconds(), "CPU-%-of-a-core")
	b.ReportMetric(float64(printed.Load()), "lines")
	if got := printed.Load(); got != written {
		b.Errorf("%d lines written to %d processes, %d printed", written, len(logs), got)
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
	for _, r := range objs.Processes {
		l := tc.ServeLogs(b, ns, r.Pod.Name, r.Pod.Spec.Containers[0].Name)
		l.Append(b, "started")
		logs = append(logs, l)
		if _, err := tc.Client.CoreV1().Pods(ns).Create(context.Background(), r.Pod, metav1.CreateOptions{}); err != nil {
			b.Fatalf("creating %s: %v", r.Pod.Name, err)
		}
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		grace := int64(0)
		_ = tc.Client.CoreV1().Pods(ns).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &grace}, metav1.ListOptions{})
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for {
		list, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		running := 0
		if err == nil {
			for _, p := range list.Items {
				if p.Status.Phase == corev1.PodRunning {
					running++
				}
			}
		}
		if running == len(logs) {
			break
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%d of %d processes running after 5 minutes", running, len(logs))
		case <-time.After(time.Second):
		}
	}
	return logs
}
