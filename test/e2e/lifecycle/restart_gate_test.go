package lifecycle

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// bootGated boots a connection server (host 0) and a root controller
// (host 1) that both listen on a NodePort, and two applications (host 2),
// on fresh kwok nodes; it returns the session.
func bootGated(t *testing.T, tc *testcluster.Cluster) string {
	t.Helper()
	hosts := testcluster.NodeNames("lc-gate", 3)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("lc-gate")
	e2eproc.BootFreshPorts(t, tc, name, func() string {
		ports := tc.NodePorts(t, 2)
		return e2eproc.WriteBootFile(t, name,
			e2eproc.ConnectionServer(hosts[0], ports[0]),
			e2eproc.RootController(hosts[1], "--port", fmt.Sprint(ports[1]), "-n", "root-controller"),
			e2eproc.App("app-1", hosts[2], "0.1"),
			e2eproc.App("app-2", hosts[2], "0.2"))
	}, "--timeout=120s")
	return name
}

// killAll kills every process of the session (waited for): the session
// record then says each is Killed, and restart brings them back from it.
func killAll(t *testing.T, tc *testcluster.Cluster, ns string) {
	t.Helper()
	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "."); code != 0 {
		t.Fatalf("kill exited %d:\n%s", code, stderr)
	}
	if left := pods(t, tc, ns); len(left) != 0 {
		t.Fatalf("pods left after kill: %v", left)
	}
}

// serveTCP accepts connections on 127.0.0.1:port until the test's end, as
// a root controller's gRPC port would.
func serveTCP(t *testing.T, port int32) {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))))
	if err != nil {
		t.Fatalf("cannot play the root controller on 127.0.0.1:%d: %v", port, err)
	}
	t.Cleanup(func() { _ = l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
}

// TestRestartGatesLikeBoot: the connection server, the root controller and
// two applications are killed, then restarted together from the session
// record. As boot, the root controller is created only once the connection
// server is Ready and answers, the applications only once the root
// controller is Ready and answers; all come back with their uuids. The
// test plays each gate's port on loopback (kwok nodes have InternalIP
// 127.0.0.1) only a while after it is Ready, and follows the pods with one
// watch, whose events come in the order the API stored them.
func TestRestartGatesLikeBoot(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootGated(t, tc)
	before, svcs := pods(t, tc, ns), services(t, tc, ns)
	lcsPort, rootPort := svcs["local-connection-server"].Spec.Ports[0].NodePort, svcs["root-controller"].Spec.Ports[0].NodePort
	killAll(t, tc, ns)

	w := watchPods(t, tc, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "restart", "-n", ns, ".", "--probe-fake-nodes", "--timeout=120s")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Each gate is Ready a while before it answers: nothing behind it may
	// exist meanwhile.
	const silence = 3 * time.Second
	w.until(t, "the new connection server Ready", func(e []podEvent) bool { return readyAt(e, "local-connection-server") >= 0 })
	time.Sleep(silence)
	if i := addedAt(w.events(), "root-controller"); i >= 0 {
		t.Fatalf("the root controller was created before the connection server answered:\n%s", stderr.String())
	}
	lcsUp := time.Now()
	serveHTTP(t, lcsPort)
	w.until(t, "the new root controller Ready", func(e []podEvent) bool { return readyAt(e, "root-controller") >= 0 })
	time.Sleep(silence)
	if addedAt(w.events(), "app-1") >= 0 || addedAt(w.events(), "app-2") >= 0 {
		t.Fatalf("an application was created before the root controller answered:\n%s", stderr.String())
	}
	rootUp := time.Now()
	serveTCP(t, rootPort)

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("restart failed (%v):\n%s", err, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("restart still running after 4 minutes:\n%s", stderr.String())
	}
	t.Logf("restart:\n%s", stderr.String())
	ev := w.events()
	order := []struct {
		earlier, later int
		what           string
	}{
		{readyAt(ev, "local-connection-server"), addedAt(ev, "root-controller"), "connection server Ready before the root controller is created"},
		{readyAt(ev, "root-controller"), addedAt(ev, "app-1"), "root controller Ready before app-1 is created"},
		{readyAt(ev, "root-controller"), addedAt(ev, "app-2"), "root controller Ready before app-2 is created"},
	}
	for _, o := range order {
		if o.earlier < 0 || o.later < 0 || o.earlier > o.later {
			t.Errorf("not %s (watch events %d, %d)", o.what, o.earlier, o.later)
		}
	}
	if ev[addedAt(ev, "root-controller")].seen.Before(lcsUp) {
		t.Errorf("the root controller was created before the connection server answered")
	}
	after := pods(t, tc, ns)
	rootReady := readySince(after["root-controller"])
	for _, name := range []string{"app-1", "app-2"} {
		if ev[addedAt(ev, name)].seen.Before(rootUp) {
			t.Errorf("%s was created before the root controller answered", name)
		}
		if created := after[name].CreationTimestamp.Time; created.Before(rootReady) {
			t.Errorf("%s created at %s, before the root controller was Ready at %s", name, created, rootReady)
		}
	}
	for name, old := range before {
		p := after[name]
		if p == nil || p.Labels[keys.UUID()] != old.Labels[keys.UUID()] || p.UID == old.UID {
			t.Errorf("%s not back as the same process (uuid %s): %v", name, old.Labels[keys.UUID()], p)
			continue
		}
		if n := w.added(name); n != 1 {
			t.Errorf("%s: %d pods created, want 1", name, n)
		}
	}
	if n := strings.Count(stderr.String(), "recreated from its session record"); n != 4 {
		t.Errorf("stderr says %d processes came from the session record, want 4:\n%s", n, stderr.String())
	}
}

// readySince is when the pod's Ready condition last became True.
func readySince(p *corev1.Pod) time.Time {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

// TestRestartGateThatCannotPass: the root controller's host is tainted
// NoSchedule once restart has checked the hosts (it would refuse a tainted
// host up front) and while it waits for the connection server to answer,
// so the recreated root controller is never scheduled nor Ready: the
// applications behind it are not created, each is named, restart fails,
// and they stay killed for a later restart.
func TestRestartGateThatCannotPass(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootGated(t, tc)
	rootHost := pods(t, tc, ns)["root-controller"].Spec.NodeName
	lcsPort := services(t, tc, ns)["local-connection-server"].Spec.Ports[0].NodePort
	killAll(t, tc, ns)

	w := watchPods(t, tc, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := tc.PluginCommand(t, ctx, "restart", "-n", ns, ".", "--probe-fake-nodes", "--timeout=15s")
	var restartErr strings.Builder
	cmd.Stderr = &restartErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.until(t, "the new connection server Ready", func(e []podEvent) bool { return readyAt(e, "local-connection-server") >= 0 })
	tc.TaintNode(t, rootHost, corev1.Taint{Key: "drunc.test/no-daq", Value: "x", Effect: corev1.TaintEffectNoSchedule})
	serveHTTP(t, lcsPort)
	_ = cmd.Wait()
	stderr, code := restartErr.String(), cmd.ProcessState.ExitCode()
	t.Logf("restart exited %d after %s:\n%s", code, time.Since(start).Round(time.Second), stderr)
	if code == 0 {
		t.Fatal("restart exited 0 though the root controller cannot become Ready")
	}
	for _, want := range []string{
		fmt.Sprintf("the root controller %s/root-controller is not Ready, so nothing behind it was created", ns),
		fmt.Sprintf("%s/app-1 not restarted: not created: it needs the root controller %s/root-controller, which is not up", ns, ns),
		fmt.Sprintf("%s/app-2 not restarted: not created: it needs the root controller %s/root-controller, which is not up", ns, ns),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	after := pods(t, tc, ns)
	for _, name := range []string{"app-1", "app-2"} {
		if after[name] != nil {
			t.Errorf("%s was created behind a root controller that is not Ready", name)
		}
	}
	if after["local-connection-server"] == nil || after["root-controller"] == nil {
		t.Errorf("the gates themselves were not recreated: %v", after)
	}
	out, errOut, _ := tc.Plugin(t, "ps", "-n", ns)
	for _, name := range []string{"app-1", "app-2"} {
		killed := false
		for _, line := range strings.Split(out, "\n") {
			f := strings.Fields(line)
			killed = killed || len(f) > 0 && f[0] == name && strings.Contains(line, "Killed")
		}
		if !killed {
			t.Errorf("%s is not shown Killed after the failed restart:\n%s%s", name, out, errOut)
		}
	}
}
