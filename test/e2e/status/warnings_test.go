package status

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// status lists only Warning events (informers.Config.WarningEventsOnly): the
// API server filters them, so the Normal event of a pod never reaches the
// cache, while a cache without the option holds both.
func TestWarningEventsOnlyListsWarnings(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("stw", 1)
	tc.Nodes(t, hosts...)
	ns := tc.Namespace(t, "status-warnings")
	create(t, tc, ns, hosts, procs[:1])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pod, err := tc.Client.CoreV1().Pods(ns).Get(ctx, procs[0].Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{corev1.EventTypeNormal, corev1.EventTypeWarning} {
		tc.PodEvent(t, pod, typ, "Test"+typ, typ+" event of the test", "status-test")
	}
	reasons := func(warningsOnly bool) []string {
		cctx, stop := context.WithCancel(ctx)
		defer stop()
		c, err := informers.Start(cctx, informers.Config{Client: tc.Client, Namespace: ns, WithEvents: true, WarningEventsOnly: warningsOnly})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.WaitEvents(cctx); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ev := range c.PodEvents(pod.UID) {
			if ev.Source.Component == "status-test" {
				out = append(out, ev.Reason)
			}
		}
		return out
	}
	if got := reasons(false); len(got) != 2 {
		t.Errorf("all pod events: %q, want TestNormal and TestWarning", got)
	}
	if got := reasons(true); len(got) != 1 || got[0] != "TestWarning" {
		t.Errorf("Warning events only: %q, want just TestWarning", got)
	}
}
