package waitfor

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// BenchmarkUntilReady is boot's wait for all Ready over a session of 2,000
// processes: the pods turn Ready one by one (a status update each, through
// a fake clientset and the shared informer) while Until waits. It reports
// the CPU of the whole process per process made Ready (the updates' cost
// is the same with any wait).
//
//	go test -run '^$' -bench UntilReady -benchtime 3x ./plugin/waitfor
func BenchmarkUntilReady(b *testing.B) {
	const n = 2000
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		client := fake.NewClientset()
		pods := make([]string, n)
		for i := range pods {
			p := drunc(fmt.Sprintf("app-%04d", i))
			pods[i] = p.Name
			if _, err := client.CoreV1().Pods("s").Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		c, err := informers.Start(ctx, informers.Config{Client: client, Namespace: "s"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		before := cpuTime()
		go func() {
			for _, name := range pods {
				p := c.Get("s", name)
				if _, err := client.CoreV1().Pods("s").UpdateStatus(ctx, setRunning(p, true), metav1.UpdateOptions{}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
		res, err := Until(ctx, c, nil, Condition{Kind: Ready}, Options{})
		cpu += cpuTime() - before
		cancel()
		if err != nil || len(res.Met) != n {
			b.Fatalf("%d met, %v", len(res.Met), err)
		}
	}
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*n), "CPU-µs/process")
}

// cpuTime is this process's user and system CPU so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
