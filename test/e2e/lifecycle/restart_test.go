package lifecycle

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// sameProcess compares what restart must keep: labels (uuid, tree id,
// role...), the boot record, the pinning and the container as written.
func sameProcess(t *testing.T, before, after *corev1.Pod) {
	t.Helper()
	if after.UID == before.UID {
		t.Fatalf("%s: same pod UID %s: not restarted", before.Name, after.UID)
	}
	if !reflect.DeepEqual(after.Labels, before.Labels) {
		t.Errorf("%s: labels changed:\n before %v\n after  %v", before.Name, before.Labels, after.Labels)
	}
	if after.Annotations[session.BootRecordAnnotation] != before.Annotations[session.BootRecordAnnotation] {
		t.Errorf("%s: boot record changed", before.Name)
	}
	if !reflect.DeepEqual(after.Spec.NodeSelector, before.Spec.NodeSelector) || !reflect.DeepEqual(after.Spec.HostAliases, before.Spec.HostAliases) {
		t.Errorf("%s: pinning or host aliases changed", before.Name)
	}
	b, a := before.Spec.Containers[0], after.Spec.Containers[0]
	if !reflect.DeepEqual([]any{a.Image, a.Command, a.Args, a.Env, a.WorkingDir, a.SecurityContext, a.Lifecycle},
		[]any{b.Image, b.Command, b.Args, b.Env, b.WorkingDir, b.SecurityContext, b.Lifecycle}) {
		t.Errorf("%s: container changed:\n before %+v\n after  %+v", before.Name, b, a)
	}
}

func ownedBy(svc *corev1.Service, pod *corev1.Pod) bool {
	for _, r := range svc.OwnerReferences {
		if r.Kind == "Pod" && r.Name == pod.Name && r.UID == pod.UID {
			return true
		}
	}
	return false
}

// TestRestartFromBootRecord: each `kubectl drunc` run is a new process with
// a new informer and no memory of the boot, so this restarts from what is
// in the cluster only: a running application, an exited one, and the LCS
// (whose service must keep its cluster IP, which every pod's hostAliases
// point at).
func TestRestartFromBootRecord(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	tc.ExitPod(t, ns, "ru-02", 1)
	before, svcBefore := pods(t, tc, ns), services(t, tc, ns)

	// As boot, restart checks the LCS answers HTTP on <node>:<NodePort>
	// once Ready. kwok nodes have InternalIP 127.0.0.1 and no kube-proxy:
	// the test plays the connection server on loopback, and asks for the
	// probe that fake nodes otherwise skip.
	lcsPort := svcBefore["local-connection-server"].Spec.Ports[0].NodePort
	stopLCS := serveHTTP(t, lcsPort)

	stdout, stderr, code := tc.Plugin(t, "restart", "-n", ns, "^df-01$", "^ru-02$", "^local-connection-server$", "--probe-fake-nodes")
	if code != 0 {
		t.Fatalf("restart exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, ns+"/ru-02 recreated from its boot record") {
		t.Errorf("stderr does not say where ru-02 came from:\n%s", stderr)
	}
	after, svcAfter := pods(t, tc, ns), services(t, tc, ns)
	for _, name := range []string{"df-01", "ru-02", "local-connection-server"} {
		p := after[name]
		if p == nil {
			t.Fatalf("%s not recreated", name)
		}
		sameProcess(t, before[name], p)
		ready := false
		for _, c := range p.Status.Conditions {
			ready = ready || c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue
		}
		if !ready {
			t.Errorf("%s not Ready when restart returned (it waits by default)", name)
		}
		if !strings.Contains(stdout, name) {
			t.Errorf("the table does not list %s:\n%s", name, stdout)
		}
		s := svcAfter[name]
		if s == nil || s.UID == svcBefore[name].UID || !ownedBy(s, p) {
			t.Errorf("%s: service not recreated and owned by the new pod: %+v", name, s)
		}
	}
	if a, b := svcAfter["local-connection-server"].Spec.ClusterIP, svcBefore["local-connection-server"].Spec.ClusterIP; a != b {
		t.Errorf("the LCS service changed its cluster IP %s → %s", b, a)
	}
	if after["root-controller"].UID != before["root-controller"].UID {
		t.Errorf("root-controller was restarted though not selected")
	}

	// Alone, nothing is behind it: its probe is restart's final check, and a
	// check that passed says so (something else on the port would pass it).
	_, stderr2, code := tc.Plugin(t, "restart", "-n", ns, "^local-connection-server$", "--probe-fake-nodes")
	if want := fmt.Sprintf("%s/local-connection-server answers HTTP on 127.0.0.1:%d", ns, lcsPort); code != 0 || !strings.Contains(stderr2, want) {
		t.Errorf("restart of the LCS alone: exit %d, stderr lacks %q:\n%s", code, want, stderr2)
	}
	stopLCS()

	// Nothing answers any more: the restart fails, saying where it looked.
	_, stderr, code = tc.Plugin(t, "restart", "-n", ns, "^local-connection-server$", "--timeout=3s", "--probe-fake-nodes")
	want := fmt.Sprintf("is Ready but does not answer HTTP on 127.0.0.1:%d", lcsPort)
	if code == 0 || !strings.Contains(stderr, want) {
		t.Errorf("restart with an LCS that does not answer: exit %d, stderr lacks %q:\n%s", code, want, stderr)
	}
	if _, stderr, code := tc.Plugin(t, "restart", "-n", ns, "^local-connection-server$", "--no-probe"); code != 0 {
		t.Errorf("restart --no-probe exited %d:\n%s", code, stderr)
	}
}

// serveHTTP answers any request on 127.0.0.1:port until the returned stop
// (or the test's end).
func serveHTTP(t *testing.T, port int32) (stop func()) {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))))
	if err != nil {
		t.Fatalf("cannot play the connection server on 127.0.0.1:%d: %v", port, err)
	}
	srv := &http.Server{Handler: http.NotFoundHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	var once sync.Once
	stop = func() { once.Do(func() { _ = srv.Close() }) }
	t.Cleanup(stop)
	return stop
}

// TestRestartPythonManagerPod: a pod with drunc's Python labels only (no
// boot record, no managed-by) and its service are recreated from their own
// specs.
func TestRestartPythonManagerPod(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "lc-python")
	hosts := testcluster.NodeNames("lc-host", 1)
	tc.Nodes(t, hosts...)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "df-01", Labels: map[string]string{
			keys.Creator(): session.CreatorValue, keys.UUID(): "5b0c1c9e-python-uuid", keys.TreeID(): "0.1",
			keys.Role(): "application", session.AppLabel: "df-01",
		}},
		Spec: corev1.PodSpec{
			NodeSelector:  map[string]string{corev1.LabelHostname: hosts[0]},
			RestartPolicy: corev1.RestartPolicyNever,
			Containers: []corev1.Container{{Name: "df-01", Image: "ghcr.io/dune-daq/alma9:latest",
				Command: []string{"sh", "-c"}, Args: []string{"source env.sh; daq_application -n df-01"},
				Env: []corev1.EnvVar{{Name: "USER", Value: "alice"}}}},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 180*time.Second)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "df-01", Labels: map[string]string{keys.Creator(): session.CreatorValue}},
		Spec: corev1.ServiceSpec{Selector: map[string]string{session.AppLabel: "df-01"},
			Ports: []corev1.ServicePort{{Port: 3333, TargetPort: intstr.FromInt32(3333)}}},
	}
	if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitRunning(t, tc, ns, "df-01")
	before, svcBefore := pods(t, tc, ns)["df-01"], services(t, tc, ns)["df-01"]

	_, stderr, code := tc.Plugin(t, "restart", "-n", ns, "df-01")
	if code != 0 {
		t.Fatalf("restart exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "recreated from its pod spec") {
		t.Errorf("stderr does not say it used the pod spec:\n%s", stderr)
	}
	after, svcAfter := pods(t, tc, ns)["df-01"], services(t, tc, ns)["df-01"]
	if after == nil || svcAfter == nil {
		t.Fatalf("pod or service not recreated: %v %v", after, svcAfter)
	}
	sameProcess(t, before, after)
	if after.Status.Phase != corev1.PodRunning {
		t.Errorf("restarted pod is %s", after.Status.Phase)
	}
	if svcAfter.UID == svcBefore.UID || svcAfter.Spec.ClusterIP != svcBefore.Spec.ClusterIP ||
		!reflect.DeepEqual(svcAfter.Spec.Ports, svcBefore.Spec.Ports) || !reflect.DeepEqual(svcAfter.Labels, svcBefore.Labels) {
		t.Errorf("service not recreated as it was:\n before %+v\n after  %+v", svcBefore, svcAfter)
	}
}
