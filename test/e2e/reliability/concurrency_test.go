package reliability

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestTerminateWhileBootCreates: terminate a session while its boot is
// still creating processes (few creates in flight, so creation takes a
// while). Whatever each command reports, nothing of the session is left
// afterwards: the namespace goes, with every pod and service, and boot
// never brings it back; boot stops as soon as the namespace is terminating
// and says so.
func TestTerminateWhileBootCreates(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("tbc", 4)
	tc.Nodes(t, hosts...)
	ns := tc.UniqueName("tbc")
	tc.DeleteNamespaceLater(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	b := start(t, ctx, tc, "boot", "-f", bootFile(t, ns, generated(hosts, 120)), "-n", ns, "--no-probe", "--max-in-flight=2", "--timeout=2m")
	eventually(t, 60*time.Second, "boot creating its first pods", func() (bool, string) {
		list, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return false, err.Error()
		}
		return len(list.Items) >= 10, "fewer than 10 pods"
	})
	out, stderr, code := tc.Plugin(t, "terminate", "-n", ns, "--timeout=2m")
	t.Logf("terminate during boot: exit %d\n%s%s", code, out, lastLines(stderr, 5))
	bootCode := b.wait(t, 3*time.Minute)
	t.Logf("boot: exit %d\n%s", bootCode, lastLines(b.stderr.String(), 5))
	// boot notices the namespace going (it does not wait out its --timeout
	// for pods that can no longer come) and says why it stopped.
	if bootCode != 1 {
		t.Errorf("boot exited %d after its session was terminated meanwhile, want 1", bootCode)
	}
	if s := b.stderr.String(); !strings.Contains(s, "boot stopped: its namespace is being deleted") {
		t.Errorf("boot does not say that its session was deleted under it:\n%s", lastLines(s, 10))
	}
	if s := b.stderr.String(); strings.Contains(s, "panic:") {
		t.Errorf("boot crashed:\n%s", s)
	}
	eventually(t, 2*time.Minute, "session namespace gone", func() (bool, string) {
		return namespaceGone(t, tc, ns)
	})
	// Gone for good: a boot still running would have recreated it by now.
	time.Sleep(2 * time.Second)
	if gone, why := namespaceGone(t, tc, ns); !gone {
		t.Errorf("session namespace came back after terminate: %s", why)
	}
}
