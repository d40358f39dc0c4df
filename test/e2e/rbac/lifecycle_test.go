package rbac

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// smallBootFile is a root controller and two applications on two hosts (no
// LCS, so no NodePort that parallel tests could fight over).
func smallBootFile(t *testing.T, name string, hosts []string) string {
	t.Helper()
	return e2eproc.WriteBootFile(t, name,
		e2eproc.RootController(hosts[0], "-n", "root-controller"),
		e2eproc.App("ru-01", hosts[1], "0.0"),
		e2eproc.App("df-01", hosts[1], "0.1"))
}

// TestLifecycleWithTheShippedRole: boot, ps, wait, logs, describe, restart,
// flush, kill and terminate, each as drunc-tester holding only the
// kubectl-drunc role.
func TestLifecycleWithTheShippedRole(t *testing.T) {
	tc := testcluster.Get(t)
	user := testcluster.UserTester
	grant(t, tc, user)
	hosts := testcluster.NodeNames("rbac-host", 2)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("rbac-life")
	tc.DeleteNamespaceLater(t, name)

	as := func(args ...string) string {
		t.Helper()
		out, stderr, code := tc.PluginAs(t, user, args...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s as %s: exit %d\n%s%s", strings.Join(args, " "), user, code, out, stderr)
		}
		return out
	}
	as("boot", "-f", smallBootFile(t, name, hosts), "-n", name, "--no-probe", "--timeout=90s")
	if out := as("ps", "-n", name); !strings.Contains(out, "ru-01") || !strings.Contains(out, "root-controller") {
		t.Errorf("ps after boot:\n%s", out)
	}
	as("wait", "-n", name, "--for=ready", "--timeout=60s")

	log := tc.ServeLogs(t, name, "ru-01", "ru-01")
	log.Append(t, "readout configured", "readout running")
	deadline := time.Now().Add(30 * time.Second)
	for {
		out, _, code := tc.PluginAs(t, user, "logs", "-n", name, "ru-01")
		if code == 0 && strings.Contains(out, "readout running") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("logs ru-01 as %s never showed the served lines (last exit %d):\n%s", user, code, out)
		}
		time.Sleep(500 * time.Millisecond)
	}

	if out := as("describe", "-n", name, "^ru-01$"); !strings.Contains(out, "ru-01") {
		t.Errorf("describe ru-01:\n%s", out)
	}
	restartAs(t, tc, user, name, "ru-01")

	tc.ExitPod(t, name, "df-01", 0)
	as("flush", "-n", name)
	if out := as("ps", "-n", name); strings.Contains(out, "df-01") || !strings.Contains(out, "ru-01") {
		t.Errorf("ps after flush of the exited df-01:\n%s", out)
	}
	as("kill", "-n", name, "^ru-01$", "--timeout=60s")
	// A killed process stays visible, from the session record, until flushed.
	if out := as("ps", "-n", name); !regexp.MustCompile(`ru-01 .* Killed +-1 `).MatchString(out) {
		t.Errorf("ps after kill ru-01 must show it Killed with exit -1:\n%s", out)
	}
	as("flush", "-n", name)
	if out := as("ps", "-n", name); strings.Contains(out, "ru-01") {
		t.Errorf("ps after kill and flush of ru-01:\n%s", out)
	}
	as("terminate", "-n", name, "--timeout=90s")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("session namespace %s still there after terminate (err %v)", name, err)
	}
}

var explained = regexp.MustCompile(`^error: you \(drunc-nobody\) are not allowed to \S+ \S+ (cluster-wide|in namespace "[^"]+"): ask your cluster admin to bind the kubectl-drunc role \(kubectl drunc rbac --user drunc-nobody \| kubectl apply -f -\)\n$`)

// TestLifecycleWithoutRole: every verb, as drunc-nobody, fails with the
// one explained line, and boot creates nothing.
func TestLifecycleWithoutRole(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("rbac-nobody", 2)
	tc.Nodes(t, hosts...)
	ns := druncSession(t, tc, "ru-01")
	name := tc.UniqueName("rbac-nobody")
	tc.DeleteNamespaceLater(t, name)

	for _, args := range [][]string{
		{"boot", "-f", smallBootFile(t, name, hosts), "-n", name, "--no-probe", "--timeout=30s"},
		{"wait", "-n", ns, "--for=ready", "--timeout=10s"},
		{"logs", "-n", ns, "ru-01"},
		{"kill", "-n", ns, "ru-01"},
		{"restart", "-n", ns, "ru-01"},
		{"flush", "-n", ns},
		{"describe", "-n", ns, "ru-01"},
		{"terminate", "-n", ns},
	} {
		out, stderr, code := tc.PluginAs(t, testcluster.UserNobody, args...)
		cmd := "kubectl drunc " + strings.Join(args, " ")
		if code == 0 {
			t.Errorf("%s as drunc-nobody succeeded:\n%s", cmd, out)
			continue
		}
		if !explained.MatchString(stderr) {
			t.Errorf("%s as drunc-nobody: want one explained line, got:\n%s", cmd, stderr)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("boot as drunc-nobody left namespace %s behind (err %v)", name, err)
	}
	if p, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "ru-01", metav1.GetOptions{}); err != nil || p.DeletionTimestamp != nil {
		t.Errorf("kill/terminate as drunc-nobody touched ru-01 (err %v)", err)
	}
}

// restartAs restarts one process as user and fails the test unless it worked.
func restartAs(t *testing.T, tc *testcluster.Cluster, user, ns, process string) {
	t.Helper()
	out, stderr, code := tc.PluginAs(t, user, "restart", "-n", ns, "^"+process+"$", "--timeout=60s")
	if code != 0 {
		t.Fatalf("kubectl drunc restart -n %s %s as %s: exit %d\n%s%s", ns, process, user, code, out, stderr)
	}
}
