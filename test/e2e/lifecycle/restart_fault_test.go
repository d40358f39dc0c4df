package lifecycle

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestRestartAcrossAPIServerRestart: restart creates through the same layer
// as boot, so an apiserver that restarts while restart recreates hundreds
// of processes costs retries, not processes: every one comes back, with its
// service. It runs on a private control plane (the outage must not reach
// other tests).
func TestRestartAcrossAPIServerRestart(t *testing.T) {
	hosts := testcluster.NodeNames("lc-fault", 2)
	tc := testcluster.Private(t, hosts...)
	const apps = 200
	procs := []proc{{"root-controller", "0", "drunc-controller", 0}}
	for i := range apps {
		procs = append(procs, proc{fmt.Sprintf("app-%03d", i), fmt.Sprintf("0.%d", i), "daq_application", i % 2})
	}
	ns := "lc-fault"
	file := bootFile(t, ns, hosts, procs)
	if _, stderr, code := tc.Plugin(t, "boot", "-f", file, "--no-probe", "--timeout=4m"); code != 0 {
		t.Fatalf("boot exited %d:\n%s", code, stderr)
	}
	before := pods(t, tc, ns)
	old := map[types.UID]bool{}
	for _, p := range before {
		old[p.UID] = true
	}

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cmd := tc.PluginCommand(t, ctx, "restart", "-n", ns, "^app-", "--no-probe", "--timeout=4m")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	// Restart the apiserver as soon as the first new pods exist: the rest
	// of the recreation runs into the outage.
	deadline := time.Now().Add(3 * time.Minute)
	for recreated := 0; recreated < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("restart recreated nothing within 3 minutes:\n%s", stderr.String())
		}
		l, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		recreated = 0
		for _, p := range l.Items {
			if !old[p.UID] {
				recreated++
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	tc.RestartAPIServer(t)
	back := time.Now()

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("restart failed across the apiserver restart (%v):\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Minute):
		t.Fatalf("restart still running 5 minutes after the apiserver restart:\n%s", stderr.String())
	}
	after, svcs := pods(t, tc, ns), services(t, tc, ns)
	late := 0
	for i := range apps {
		name := fmt.Sprintf("app-%03d", i)
		p := after[name]
		switch {
		case p == nil:
			t.Errorf("%s not recreated", name)
			continue
		case old[p.UID]:
			t.Errorf("%s not restarted (same UID)", name)
		case svcs[name] == nil || !ownedBy(svcs[name], p):
			t.Errorf("%s has no service owned by its new pod", name)
		}
		if !p.CreationTimestamp.Time.Before(back.Add(-time.Second)) {
			late++
		}
	}
	t.Logf("%d of %d processes were created after the apiserver came back", late, apps)
}
