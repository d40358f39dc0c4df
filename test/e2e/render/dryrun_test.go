// Package render proves that what `kubectl drunc boot --dry-run=client`
// prints is valid Kubernetes: the real apiserver accepts every object with
// a server-side dry run (dryRun=All: validation and admission run, nothing
// is stored).
package render

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

var dryRun = metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}

// rendered runs the built plugin with --dry-run=client -o json and returns
// the namespace and the (pod, service) pairs in boot order.
func rendered(t *testing.T, tc *testcluster.Cluster, session string, args ...string) (*corev1.Namespace, []corev1.Pod, []corev1.Service) {
	t.Helper()
	root, err := testcluster.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range args {
		if strings.HasPrefix(a, "examples/") || strings.HasPrefix(a, "plugin/") {
			args[i] = filepath.Join(root, a)
		}
	}
	args = append([]string{"boot", "-n", session, "--dry-run=client", "-o", "json", "--user", "alice",
		"--run-as-user", "1000", "--run-as-group", "1000"}, args...)
	stdout, stderr, code := tc.Plugin(t, args...)
	if code != 0 {
		t.Fatalf("kubectl drunc %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	var list struct{ Items []json.RawMessage }
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatalf("output is not a JSON List: %v", err)
	}
	var ns corev1.Namespace
	var pods []corev1.Pod
	var svcs []corev1.Service
	for i, raw := range list.Items {
		var err error
		switch {
		case i == 0:
			err = json.Unmarshal(raw, &ns)
		case i%2 == 1:
			var p corev1.Pod
			err = json.Unmarshal(raw, &p)
			pods = append(pods, p)
		default:
			var s corev1.Service
			err = json.Unmarshal(raw, &s)
			svcs = append(svcs, s)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if ns.Kind != "Namespace" || len(pods) == 0 || len(pods) != len(svcs) {
		t.Fatalf("unexpected output: %d pods, %d services", len(pods), len(svcs))
	}
	return &ns, pods, svcs
}

// serverDryRun sends every object as the boot executor would: the session
// namespace (created for real, with the rendered labels, since namespaced
// dry runs need it), then in boot order each pod, its service owned by the
// pod the server returned, and later pods pointed at the connection server.
func serverDryRun(t *testing.T, tc *testcluster.Cluster, session string, ns *corev1.Namespace, pods []corev1.Pod, svcs []corev1.Service) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The Namespace object itself, under a name that does not exist yet.
	nsCopy := ns.DeepCopy()
	nsCopy.Name = tc.UniqueName("render-ns")
	if _, err := tc.Client.CoreV1().Namespaces().Create(ctx, nsCopy, dryRun); err != nil {
		t.Fatalf("the apiserver rejects the rendered Namespace: %v", err)
	}
	real, err := tc.Client.CoreV1().Namespaces().Get(ctx, session, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range ns.Labels {
		real.Labels[k] = v
	}
	if _, err := tc.Client.CoreV1().Namespaces().Update(ctx, real, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	lcsIP := ""
	for i := range pods {
		pod := &pods[i]
		podspec.SetLCSAddress(pod, lcsIP)
		created, err := tc.Client.CoreV1().Pods(session).Create(ctx, pod, dryRun)
		if err != nil {
			t.Errorf("the apiserver rejects pod %s: %v", pod.Name, err)
			continue
		}
		if created.UID == "" || created.Labels["uuid.drunc.daq"] != pod.Labels["uuid.drunc.daq"] {
			t.Errorf("pod %s: dry-run answer %+v", pod.Name, created.ObjectMeta)
		}
		svc := &svcs[i]
		if svc.Name != pod.Name {
			t.Fatalf("service %s follows pod %s", svc.Name, pod.Name)
		}
		podspec.OwnService(svc, created)
		createdSvc, err := tc.Client.CoreV1().Services(session).Create(ctx, svc, dryRun)
		if err != nil {
			t.Errorf("the apiserver rejects service %s: %v", svc.Name, err)
			continue
		}
		if strings.Contains(pod.Name, "local-connection-server") {
			lcsIP = createdSvc.Spec.ClusterIP
			if lcsIP == "" || lcsIP == "None" {
				t.Fatalf("the connection server's Service got no ClusterIP: %q", lcsIP)
			}
		}
	}
	if n, err := tc.Client.CoreV1().Pods(session).List(ctx, metav1.ListOptions{}); err != nil || len(n.Items) != 0 {
		t.Fatalf("a dry run stored pods: %v %v", n, err)
	}
}

func TestExampleSessionServerDryRun(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	session := tc.Namespace(t, "render-demo")
	ns, pods, svcs := rendered(t, tc, session, "-f", "examples/boot/demo-session.yaml", "--pm-config", "examples/pm-config.json")
	serverDryRun(t, tc, session, ns, pods, svcs)
}

// TestEveryRuleServerDryRun: the golden-file session (every role, hostile
// arguments, readout resources, hugepages, log and data mounts).
func TestEveryRuleServerDryRun(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	session := tc.Namespace(t, "render-full")
	ns, pods, svcs := rendered(t, tc, session, "-f", "plugin/verbs/boot/testdata/full-session.yaml",
		"--pm-config", "plugin/verbs/boot/testdata/pm-config.json")
	serverDryRun(t, tc, session, ns, pods, svcs)
}

// TestServerDryRunCanFail: the same check rejects a broken object, so the
// acceptance above means something.
func TestServerDryRunCanFail(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	session := tc.Namespace(t, "render-bad")
	_, pods, svcs := rendered(t, tc, session, "-f", "examples/boot/demo-session.yaml", "--pm-config", "examples/pm-config.json")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	svc := svcs[0].DeepCopy() // the connection server's NodePort Service, not yet owned
	if _, err := tc.Client.CoreV1().Services(session).Create(ctx, svc, dryRun); err == nil || !strings.Contains(err.Error(), "uid") {
		t.Errorf("a Service whose owner has no UID was accepted: %v", err)
	}
	pod := pods[0].DeepCopy()
	pod.Spec.Containers[0].VolumeMounts[0].Name = "no-such-volume"
	if _, err := tc.Client.CoreV1().Pods(session).Create(ctx, pod, dryRun); err == nil {
		t.Error("a pod mounting a missing volume was accepted")
	}
}
