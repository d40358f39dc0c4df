// Package ps proves `kubectl drunc ps` (and ps -w) against the local
// control plane: processes booted by the plugin's renderer and pods made
// with drunc's Python labels only, tree order, every -o format, -A, and a
// live watch that survives an apiserver restart.
package ps

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var keys = session.Keys("")

// proc is one process of a test session.
type proc struct {
	name, treeID, exec string
	host               int
}

// threeLevels: an LCS, the root controller, segment controllers on two
// levels and applications under each.
var threeLevels = []proc{
	{"local-connection-server", "1", "gunicorn", 0},
	{"root-controller", "0", "drunc-controller", 0},
	{"seg-b", "0.1", "drunc-controller", 1},
	{"df-01", "0.1.0", "daq_application", 1},
	{"seg-a", "0.0", "drunc-controller", 0},
	{"seg-a-sub", "0.0.0", "drunc-controller", 1},
	{"ru-02", "0.0.0.1", "daq_application", 1},
	{"ru-01", "0.0.0.0", "daq_application", 0},
	{"tp-01", "0.0.1", "daq_application", 1},
}

// createRendered renders the processes as boot does (podspec.Render) and
// creates their pods.
func createRendered(t *testing.T, tc *testcluster.Cluster, ns, user string, hosts []string, procs []proc) {
	t.Helper()
	var shared []e2eproc.Proc
	for _, p := range procs {
		shared = append(shared, e2eproc.Proc{Name: p.name, TreeID: p.treeID, Exec: p.exec, Host: p.host})
	}
	objs := e2eproc.Render(t, ns, user, hosts, shared)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, r := range objs.Processes {
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{}); err != nil {
			t.Fatalf("creating pod %s: %v", r.Pod.Name, err)
		}
	}
}

// pythonPod is a pod as drunc's Python process manager makes it: drunc's
// labels only (no role, no managed-by, no boot record), USER in the env.
func pythonPod(name, treeID, host, user string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{
			keys.Creator(): session.CreatorValue, keys.UUID(): "python-" + name, keys.TreeID(): treeID, session.AppLabel: name,
		}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: host},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: name, Image: "ghcr.io/dune-daq/alma9:latest",
				Command: []string{"sh", "-c"}, Args: []string{"source env.sh; daq_application -n " + name},
				Env: []corev1.EnvVar{{Name: "USER", Value: user}}}},
		},
	}
}

func createPod(t *testing.T, tc *testcluster.Cluster, ns string, pod *corev1.Pod) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating pod %s/%s: %v", ns, pod.Name, err)
	}
}

// waitReady waits (bounded) until n pods of the namespace are Ready.
func waitReady(t *testing.T, tc *testcluster.Cluster, ns string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		list, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		cancel()
		ready := 0
		if err == nil {
			for _, p := range list.Items {
				for _, c := range p.Status.Conditions {
					if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
						ready++
					}
				}
			}
		}
		if ready >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d pods of %s Ready after 60s (err %v)", ready, n, ns, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ps runs the plugin and fails the test on a non-zero exit.
func ps(t *testing.T, tc *testcluster.Cluster, args ...string) string {
	t.Helper()
	out, errOut, code := tc.Plugin(t, append([]string{"ps"}, args...)...)
	if code != 0 {
		t.Fatalf("kubectl drunc ps %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

var ageRE = regexp.MustCompile(`\s\d+(s|m\d*s?)\s*$`)

// normalize makes a table comparable to a golden file: the test's unique
// names become stable ones and the AGE column (last) becomes AGE.
func normalize(table string, replace map[string]string) string {
	var lines []string
	for i, l := range strings.Split(strings.TrimRight(table, "\n"), "\n") {
		for from, to := range replace {
			l = strings.ReplaceAll(l, from, to)
		}
		if i > 0 {
			l = ageRE.ReplaceAllString(l, " AGE")
		}
		lines = append(lines, strings.TrimRight(l, " "))
	}
	return strings.Join(lines, "\n") + "\n"
}
