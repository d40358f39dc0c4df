// Package lifecycle tests kill, terminate, restart and flush against the
// real control plane, with kwok playing the kubelets.
package lifecycle

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// proc is one process of a test session.
type proc struct {
	name, treeID, exec string
	host               int // index into the session's hosts
}

// threeLevels is a session with every kill stage: an LCS, another
// infrastructure application, the root controller, segment controllers on
// two levels and applications under each level.
var threeLevels = []proc{
	{"local-connection-server", "1", "gunicorn", 0},
	{"dqm-server", "2", "dqm", 0},
	{"root-controller", "0", "drunc-controller", 0},
	{"seg-a", "0.0", "drunc-controller", 1},
	{"seg-a-sub", "0.0.0", "drunc-controller", 1},
	{"ru-01", "0.0.0.0", "daq_application", 1},
	{"ru-02", "0.0.0.1", "daq_application", 1},
	{"tp-01", "0.0.1", "daq_application", 2},
	{"seg-b", "0.1", "drunc-controller", 2},
	{"df-01", "0.1.0", "daq_application", 2},
	{"hsi-01", "0.2", "daq_application", 2},
}

// bootFile writes a boot file of these processes on these hosts. The LCS
// gets a NodePort of its own (testcluster.NodePorts): NodePorts are
// cluster-wide and tests run in parallel.
func bootFile(t *testing.T, name string, hosts []string, procs []proc) string {
	t.Helper()
	boot := make([]e2eproc.BootProc, len(procs))
	for i, p := range procs {
		boot[i] = e2eproc.BootProc{Name: p.name, Host: hosts[p.host], TreeID: p.treeID, Exec: p.exec, Args: []string{"-n", p.name}}
		if p.exec == "gunicorn" {
			boot[i].Args, boot[i].Shell = nil, e2eproc.ConnectionServer(hosts[p.host], testcluster.Get(t).NodePort(t)).Shell
		}
	}
	return e2eproc.WriteBootFile(t, name, boot...)
}

// bootSession boots the processes with `kubectl drunc boot` on fresh kwok
// nodes and returns the session name; the namespace is deleted at cleanup.
func bootSession(t *testing.T, tc *testcluster.Cluster, procs []proc) string {
	t.Helper()
	hosts := testcluster.NodeNames("lc-host", 3)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("lc")
	e2eproc.BootFreshPorts(t, tc, name, func() string { return bootFile(t, name, hosts, procs) }, "-n", name, "--timeout=180s")
	return name
}

// pods lists the session's pods now, by name.
func pods(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Pod {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*corev1.Pod{}
	for i := range l.Items {
		out[l.Items[i].Name] = &l.Items[i]
	}
	return out
}

func services(t *testing.T, tc *testcluster.Cluster, ns string) map[string]*corev1.Service {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*corev1.Service{}
	for i := range l.Items {
		out[l.Items[i].Name] = &l.Items[i]
	}
	return out
}

// countDrunc counts drunc pods and services in every namespace (writes in
// bad-input tests must leave it unchanged).
func countAll(t *testing.T, tc *testcluster.Cluster, ns string) int {
	t.Helper()
	return len(pods(t, tc, ns)) + len(services(t, tc, ns))
}

var keys = session.Keys("")

// waitServicesGone waits (bounded) until these services are gone: services
// owned by their pod are removed by the garbage collector after the pod.
func waitServicesGone(t *testing.T, tc *testcluster.Cluster, ns string, names ...string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		svcs := services(t, tc, ns)
		var left []string
		for _, n := range names {
			if _, ok := svcs[n]; ok {
				left = append(left, n)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("services %v of %s still there 60s after their pods went", left, ns)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
