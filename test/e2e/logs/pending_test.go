package logs

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// A process that has not started has no log yet: logs says so on stderr
// (exit 0, it is not an error); logs -f waits for it and follows it once
// it runs (here: once its host appears and the scheduler places it).
func TestLogsOfAProcessNotStartedYet(t *testing.T) {
	t.Parallel()
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "logs-pending")
	host := tc.UniqueName("np02-srv-late")
	pod := e2eproc.RenderApps(t, ns, host, "dqm-01")["dqm-01"]
	log := tc.ServeLogs(t, ns, "dqm-01", "dqm-01")
	log.Append(t, "dqm started")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := tc.Plugin(t, "logs", "-n", ns, "dqm-01")
	if code != 0 || out != "" || !strings.Contains(errOut, "["+ns+"/dqm-01] no logs yet: the process has not started (") {
		t.Errorf("logs of a Pending process: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	f := startFollow(t, tc, tc.Kubeconfig, "-n", ns, "dqm-01")
	f.waitStderr(t, "["+ns+"/dqm-01] not started yet (")
	tc.Nodes(t, host)
	f.waitLine(t, "dqm started")
}
