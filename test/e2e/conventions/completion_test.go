package conventions

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// TestCompletionScriptsNeedNoCluster: every shell's script, and completing
// verbs, work with no kubeconfig at all.
func TestCompletionScriptsNeedNoCluster(t *testing.T) {
	noConfig := []string{"KUBECONFIG=" + filepath.Join(t.TempDir(), "absent")}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, stderr, code := plugin(t, noConfig, "completion", sh)
		if code != 0 || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", sh, code, len(out), stderr)
		}
	}
	out, _, code := plugin(t, noConfig, "__complete", "")
	if code != 0 {
		t.Fatalf("__complete '': exit %d", code)
	}
	for _, verb := range []string{"version", "rbac", "completion", "ps", "boot"} {
		if !slices.Contains(lines(out), verb) {
			t.Errorf("kubectl drunc <TAB> does not offer %s:\n%s", verb, out)
		}
	}
	// A process name <TAB> with no cluster returns nothing, quickly, no error.
	start := time.Now()
	out, _, code = plugin(t, noConfig, "__complete", "ps", "")
	if code != 0 || len(lines(out)) != 0 || time.Since(start) > 20*time.Second {
		t.Errorf("__complete ps '' without a cluster: exit %d after %s, %q", code, time.Since(start), out)
	}
	// Free-valued flags offer no file names (cobra's directive 4, NoFileComp).
	for _, args := range [][]string{{"ps", "--user", ""}, {"kill", "--uuid", ""}, {"status", "-l", ""}, {"rbac", "--serviceaccount", ""}} {
		out, _, code := plugin(t, noConfig, append([]string{"__complete"}, args...)...)
		if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), ":4") {
			t.Errorf("__complete %s: exit %d, %q; want no file names (:4)", strings.Join(args, " "), code, out)
		}
	}
}

// TestCompleteProcessNamesAndSessions runs `kubectl-drunc __complete` against
// the test cluster: process names of the -n session, and sessions for -n
// (namespaces with the drunc creator label only).
func TestCompleteProcessNamesAndSessions(t *testing.T) {
	tc := testcluster.Get(t)
	keys := session.Keys("")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	ns := tc.Namespace(t, "complete")
	labelNamespace(t, tc, ns, map[string]string{keys.Creator(): session.CreatorValue})
	foreign := tc.Namespace(t, "complete-foreign") // no creator label: not a session

	names := []string{"root-controller", "ru-01", "ru-02", "df-01"}
	for _, n := range names {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: n, Labels: map[string]string{
				keys.Creator(): session.CreatorValue, session.AppLabel: n}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "p", Image: "busybox"}}},
		}
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// A pod without the creator label is no drunc process.
	other := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "sidecar-tool"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "p", Image: "busybox"}}}}
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, other, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	kc := "--kubeconfig=" + tc.Kubeconfig
	out, stderr, code := plugin(t, nil, "__complete", kc, "ps", "-n", ns, "")
	got := lines(out)
	slices.Sort(got)
	want := slices.Clone(names)
	slices.Sort(want)
	if code != 0 || !slices.Equal(got, want) {
		t.Errorf("__complete ps -n %s '' = %v (exit %d, stderr %q), want %v", ns, got, code, stderr, want)
	}

	out, _, _ = plugin(t, nil, "__complete", kc, "ps", "-n", ns, "ru")
	if got := lines(out); !slices.Equal(got, []string{"ru-01", "ru-02"}) {
		t.Errorf("__complete ps -n %s ru = %v, want [ru-01 ru-02]", ns, got)
	}
	out, _, _ = plugin(t, nil, "__complete", kc, "ps", "-n", ns, "ru-01", "")
	if got := lines(out); slices.Contains(got, "ru-01") || !slices.Contains(got, "ru-02") {
		t.Errorf("a name already given is offered again, or another is missing: %v", got)
	}

	out, _, _ = plugin(t, nil, "__complete", kc, "ps", "-n", "")
	sessions := lines(out)
	if !slices.Contains(sessions, ns) || slices.Contains(sessions, foreign) {
		t.Errorf("__complete ps -n '' = %v: want %s (drunc session) and not %s (no creator label)", sessions, ns, foreign)
	}
}

func labelNamespace(t *testing.T, tc *testcluster.Cluster, name string, labels map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := tc.Client.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range labels {
		ns.Labels[k] = v
	}
	if _, err := tc.Client.CoreV1().Namespaces().Update(ctx, ns, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestCompleteKilledProcesses: a killed process has no pod, only its entry
// in the session record; restart (which brings it back), flush, ps,
// status and describe offer its name, kill and logs (which need a pod) do
// not.
func TestCompleteKilledProcesses(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("complete-rec", 1)
	tc.Nodes(t, hosts...)
	ns := tc.UniqueName("complete-rec")
	tc.DeleteNamespaceLater(t, ns)
	file := e2eproc.WriteBootFile(t, ns, e2eproc.RootController(hosts[0], "-n", "root-controller"),
		e2eproc.App("ru-01", hosts[0], "0.0"), e2eproc.App("df-01", hosts[0], "0.1"))
	for _, args := range [][]string{{"boot", "-f", file, "--no-probe", "--timeout=90s"}, {"kill", "-n", ns, "df-01"}} {
		if _, stderr, code := tc.Plugin(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	kc := "--kubeconfig=" + tc.Kubeconfig
	for verb, want := range map[string][]string{
		"restart":  {"df-01", "root-controller", "ru-01"},
		"flush":    {"df-01", "root-controller", "ru-01"},
		"ps":       {"df-01", "root-controller", "ru-01"},
		"status":   {"df-01", "root-controller", "ru-01"},
		"describe": {"df-01", "root-controller", "ru-01"},
		"kill":     {"root-controller", "ru-01"},
		"logs":     {"root-controller", "ru-01"},
	} {
		out, stderr, code := plugin(t, nil, "__complete", kc, verb, "-n", ns, "")
		if got := lines(out); code != 0 || !slices.Equal(got, want) {
			t.Errorf("__complete %s -n %s '' = %v (exit %d, stderr %q), want %v", verb, ns, got, code, stderr, want)
		}
	}
	// With -A too, from one list of every session's record.
	out, _, _ := plugin(t, nil, "__complete", kc, "ps", "-A", "df")
	if got := lines(out); !slices.Contains(got, "df-01") {
		t.Errorf("__complete ps -A df = %v, want df-01 among them", got)
	}
}
