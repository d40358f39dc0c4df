package rbac

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/syncbuf"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestEveryVerbWithOnlyTheShippedRole: the user holds the shipped role and
// nothing else (checked over every binding in the cluster), and every verb
// works as that user: boot, ps, ps -w, wait, describe, logs, logs -f,
// flush, restart, kill, terminate.
func TestEveryVerbWithOnlyTheShippedRole(t *testing.T) {
	tc := testcluster.Get(t)
	user := testcluster.UserTester
	grant(t, tc, user)
	onlyShippedRole(t, tc, user)
	hosts := testcluster.NodeNames("rbac-every", 2)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("rbac-every")
	tc.DeleteNamespaceLater(t, name)
	kubeconfig := tc.UserKubeconfig(t, user)

	as := func(args ...string) string {
		t.Helper()
		out, stderr, code := tc.PluginAs(t, user, args...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s as %s: exit %d\n%s%s", strings.Join(args, " "), user, code, out, stderr)
		}
		return out
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	background := func(args ...string) (*syncbuf.Buffer, func() int) {
		t.Helper()
		var out syncbuf.Buffer
		cmd := tc.PluginCommandAs(t, ctx, kubeconfig, args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return &out, func() int {
			_ = cmd.Process.Signal(syscall.SIGINT)
			_ = cmd.Wait()
			return cmd.ProcessState.ExitCode()
		}
	}
	within := func(what string, out *syncbuf.Buffer, want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(out.String(), want) {
			if time.Now().After(deadline) {
				t.Fatalf("%s as %s never showed %q:\n%s", what, user, want, out.String())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	as("boot", "-f", smallBootFile(t, name, hosts), "-n", name, "--no-probe", "--timeout=90s")
	watch, stopWatch := background("ps", "-w", "-n", name)
	within("ps -w", watch, "df-01")
	as("wait", "-n", name, "--for=ready", "--timeout=60s")
	if out := as("describe", "-n", name, "ru-01"); !strings.Contains(out, "ru-01") {
		t.Errorf("describe ru-01 as %s:\n%s", user, out)
	}

	log := tc.ServeLogs(t, name, "ru-01", "ru-01")
	log.Append(t, "first line")
	follow, stopFollow := background("logs", "-f", "-n", name, "ru-01")
	within("logs -f", follow, "first line")
	log.Append(t, "second line")
	within("logs -f", follow, "second line")
	if code := stopFollow(); code != 0 {
		t.Errorf("logs -f as %s: exit %d after Ctrl-C:\n%s", user, code, follow.String())
	}

	tc.ExitPod(t, name, "df-01", 4)
	within("ps -w", watch, "Error")
	if out := as("flush", "-n", name); !strings.Contains(out, "df-01") {
		t.Errorf("flush as %s does not list df-01:\n%s", user, out)
	}
	before := podUID(t, tc, name, "ru-01")
	restartAs(t, tc, user, name, "ru-01")
	if after := podUID(t, tc, name, "ru-01"); after == "" || after == before {
		t.Errorf("restart ru-01 as %s: pod uid %q before, %q after", user, before, after)
	}
	as("kill", "-n", name, "^ru-01$", "--timeout=60s")
	if code := stopWatch(); code != 0 {
		t.Errorf("ps -w as %s: exit %d after Ctrl-C:\n%s", user, code, watch.String())
	}
	as("terminate", "-n", name, "--timeout=90s")
}

// onlyShippedRole fails the test unless every binding naming the user, in
// the whole cluster, grants the shipped kubectl-drunc ClusterRole.
func onlyShippedRole(t *testing.T, tc *testcluster.Cluster, user string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	crbs, err := tc.Client.RbacV1().ClusterRoleBindings().List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range crbs.Items {
		for _, s := range b.Subjects {
			if s.Kind == "User" && s.Name == user && (b.RoleRef.Kind != "ClusterRole" || b.RoleRef.Name != "kubectl-drunc") {
				t.Errorf("ClusterRoleBinding %s gives %s %s %s, not only the shipped role", b.Name, user, b.RoleRef.Kind, b.RoleRef.Name)
			}
		}
	}
	rbs, err := tc.Client.RbacV1().RoleBindings("").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range rbs.Items {
		for _, s := range b.Subjects {
			if s.Kind == "User" && s.Name == user && (b.RoleRef.Kind != "ClusterRole" || b.RoleRef.Name != "kubectl-drunc") {
				t.Errorf("RoleBinding %s/%s gives %s %s %s, not only the shipped role", b.Namespace, b.Name, user, b.RoleRef.Kind, b.RoleRef.Name)
			}
		}
	}
}

func podUID(t *testing.T, tc *testcluster.Cluster, ns, name string) string {
	t.Helper()
	p, err := tc.Client.CoreV1().Pods(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return ""
	}
	return string(p.UID)
}
