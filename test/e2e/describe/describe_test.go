// Package describe tests `kubectl drunc describe` against the local
// control plane: a running, an unschedulable (pinned to a host that does
// not exist) and an exited process, and one whose pod is gone.
package describe

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// describeUntil runs describe until its output contains every want (60 s
// at most): events and status updates (scheduler, kwok) arrive
// asynchronously and in no fixed order.
func describeUntil(t *testing.T, tc *testcluster.Cluster, ns, name string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, errOut, code := tc.Plugin(t, "describe", "-n", ns, name)
		if code == 0 && containsAll(out, want) {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("describe %s/%s never showed %q within 60s: exit %d\nstdout:\n%s\nstderr:\n%s", ns, name, want, code, out, errOut)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

var (
	rfc1123 = regexp.MustCompile(`[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}`)
	uuidRE  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// An event seen several times has the age "3s (x2 over 5s)".
	ageRE     = regexp.MustCompile(`(?m)^(  (?:Normal|Warning)\s+\S+\s+)\S+(?: \(x\d+ over \S+\))?`)
	podIPRE   = regexp.MustCompile(`(?m)^(IP:\s+)\d+\.\d+\.\d+\.\d+$`)
	spacesRE  = regexp.MustCompile(`(\S)  +`)
	tokenRE   = regexp.MustCompile(`kube-api-access-[a-z0-9]+`)
	schedMsg  = regexp.MustCompile(`(?m)^(  Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+).*$`)
	retriedRE = regexp.MustCompile(`(?m)^  Warning\s+FailedScheduling\s.*\n`)
	trailingR = regexp.MustCompile(`(?m)[ \t]+$`)
)

// normalize replaces what differs between runs (session, host, uuid,
// times, ages, the fake pod IP, the service account token volume, the
// scheduler's message, which counts every node of the cluster) and column padding that depends on
// them; line order, labels and indentation (the layout) stay. For a
// process that got scheduled, FailedScheduling events are dropped: the
// scheduler may try before the fresh fake node is ready, or not.
func normalize(out, ns, node string, scheduled bool) string {
	if scheduled {
		out = retriedRE.ReplaceAllString(out, "")
	}
	out = tokenRE.ReplaceAllString(out, "kube-api-access-ID")
	// Which other nodes exist (and their taints) depends on other tests.
	out = schedMsg.ReplaceAllString(out, "${1}MESSAGE")
	out = strings.ReplaceAll(out, ns, "SESSION")
	out = strings.ReplaceAll(out, node, "NODE")
	out = uuidRE.ReplaceAllString(out, "UUID")
	out = rfc1123.ReplaceAllString(out, "TIME")
	out = ageRE.ReplaceAllString(out, "${1}AGE")
	out = podIPRE.ReplaceAllString(out, "${1}POD-IP")
	out = spacesRE.ReplaceAllString(out, "$1 ")
	out = trailingR.ReplaceAllString(out, "")
	// The scheduler retries when nodes change (other tests add some):
	// one FailedScheduling or several is the same layout.
	var kept []string
	for _, l := range strings.Split(out, "\n") {
		if len(kept) > 0 && l == kept[len(kept)-1] && strings.HasPrefix(l, "  Warning FailedScheduling") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

func TestDescribeRunningExitedPendingAndGone(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "describe")
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	pods := e2eproc.RenderApps(t, ns, node, "ru-01", "df-01", "tp-01")
	e2eproc.CreateRunning(t, tc, pods["ru-01"])
	e2eproc.CreateRunning(t, tc, pods["df-01"])
	e2eproc.CreateRunning(t, tc, pods["tp-01"])
	// Pinned to a host that does not exist: the scheduler says why.
	missing := e2eproc.RenderApps(t, ns, "np02-srv-missing", "dqm-01")["dqm-01"]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, missing, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tc.ExitPod(t, ns, "df-01", 3)
	e2eproc.DeleteGone(t, tc, ns, "tp-01")

	t.Run("running", func(t *testing.T) {
		out := describeUntil(t, tc, ns, "ru-01", "Scheduled", "Status:       Running", "Ready:          True")
		golden.Assert(t, "running.golden", []byte(normalize(out, ns, node, true)))
	})
	t.Run("exited", func(t *testing.T) {
		out := describeUntil(t, tc, ns, "df-01", "Exited", "Exit Code:    3")
		for _, want := range []string{"Status:       Error", "Exit Code:    3", "State:          Terminated"} {
			if !strings.Contains(out, want) {
				t.Errorf("describe df-01 lacks %q:\n%s", want, out)
			}
		}
		golden.Assert(t, "exited.golden", []byte(normalize(out, ns, node, true)))
	})
	t.Run("pending", func(t *testing.T) {
		out := describeUntil(t, tc, ns, "dqm-01", "FailedScheduling", "PodScheduled  False")
		if !strings.Contains(out, "Status:       Unschedulable") || !strings.Contains(out, "node(s) didn't match Pod's node affinity/selector") {
			t.Errorf("describe of an unschedulable process does not say why:\n%s", out)
		}
		golden.Assert(t, "pending.golden", []byte(normalize(out, ns, node, false)))
	})
	t.Run("gone", func(t *testing.T) {
		out, errOut, code := tc.Plugin(t, "describe", "-n", ns, "tp-01")
		if code != 1 || !strings.Contains(errOut, `process "tp-01" has no pod in session "`+ns+`": it is gone`) {
			t.Errorf("describe of a gone process: exit %d, stderr %q", code, errOut)
		}
		if !strings.Contains(out, "Status:   Gone") || !strings.Contains(out, "Scheduled") {
			t.Errorf("describe of a gone process does not show the events it left:\n%s", out)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		_, errOut, code := tc.Plugin(t, "describe", "-n", ns, "ru-(")
		if code == 0 || !strings.Contains(errOut, "is not a valid regular expression") {
			t.Errorf("describe 'ru-(': exit %d, stderr %q", code, errOut)
		}
		nosuch := tc.UniqueName("no-such-session")
		_, errOut, code = tc.Plugin(t, "describe", "-n", nosuch)
		if code != 1 || !strings.Contains(errOut, `session "`+nosuch+`" not found`) {
			t.Errorf("describe of an unknown session: exit %d, stderr %q", code, errOut)
		}
	})
}
