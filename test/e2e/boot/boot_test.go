package boot

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// DUNE's local 1x1 session, every host mapped to one kwok node: all 14
// processes Ready, in drunc's order.
func TestBootLocal1x1FromOKS(t *testing.T) {
	dir := sharedoks.Dir(t)
	tc := testcluster.Get(t)
	node := tc.UniqueName("np02-srv")
	tc.Nodes(t, node)
	requireNodePort(t, tc, 5000)
	ns := tc.UniqueName("local-1x1")
	cleanupSession(t, tc, ns)
	timeline := watchTimeline(t, tc, ns, 14)

	stdout, stderr, code := boot(t, tc, "-n", ns, "--oks", filepath.Join(dir, sharedoks.ExampleConfigs),
		"--db-path", dir, "--session-id", "local-1x1-config", "--localhost", node, "--no-probe")
	if code != 0 {
		t.Fatalf("boot exit code %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "session/"+ns+" booted: 14 processes ready") {
		t.Errorf("stdout %q does not report 14 ready processes", stdout)
	}
	if ready := readyPods(t, tc, ns); len(ready) != 14 {
		t.Fatalf("%d Ready pods after boot, want 14: %v", len(ready), ready)
	}
	_, pods, services := objects(t, tc, ns)
	if pods != 14 || services != 14 {
		t.Errorf("%d pods and %d services, want 14 of each", pods, services)
	}
	checkOrder(t, timeline(), "local-connection-server", "root-controller")

	// Every pod after the connection server resolves localhost to it.
	ctx := context.Background()
	svc, err := tc.Client.CoreV1().Services(ns).Get(ctx, "local-connection-server", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pod, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "df-01", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pod.Spec.HostAliases) != 1 || pod.Spec.HostAliases[0].IP != svc.Spec.ClusterIP {
		t.Errorf("df-01 hostAliases %v, want localhost → %s", pod.Spec.HostAliases, svc.Spec.ClusterIP)
	}
	// Each service is owned by its pod, so it goes with it.
	ownSvc, err := tc.Client.CoreV1().Services(ns).Get(ctx, "df-01", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if refs := ownSvc.OwnerReferences; len(refs) != 1 || refs[0].UID != pod.UID {
		t.Errorf("service df-01 owner references %v, want pod df-01 (%s)", refs, pod.UID)
	}
	if pod.Annotations["kubectl-drunc/boot-record"] == "" {
		t.Error("pod df-01 has no boot record annotation")
	}
}

// A generated session over several hosts, with the order checked the same way.
func TestBootGeneratedSessionInOrder(t *testing.T) {
	tc := testcluster.Get(t)
	hosts := testcluster.NodeNames("np04-srv", 3)
	tc.Nodes(t, hosts...)
	ns := tc.UniqueName("gen")
	cleanupSession(t, tc, ns)
	s := genSession{Name: ns, Gate: hosts[0], Hosts: hosts, Apps: 30}
	timeline := watchTimeline(t, tc, ns, 32)
	_, stderr, code := boot(t, tc, "-f", bootFile(t, s), "--no-probe", "--max-in-flight", "8")
	if code != 0 {
		t.Fatalf("boot exit code %d\n%s", code, stderr)
	}
	for _, line := range []string{"hosts: 3 node(s) Ready", "namespace/" + ns + " created", "local-connection-server: created 1/1, ready 1/1",
		"root-controller: created 1/1, ready 1/1", "applications: created 30/30", "ready 32/32"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("progress lacks %q", line)
		}
	}
	if strings.Contains(stderr, "\r") {
		t.Error("progress rewrote lines although stderr is not a terminal")
	}
	checkOrder(t, timeline(), "local-connection-server", "root-controller")
}

// TestBootRefusesExistingSession: a session kubectl drunc did not boot
// (no record, as drunc's Python manager leaves it) is refused untouched.
func TestBootRefusesExistingSession(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("exists")
	cleanupSession(t, tc, ns)
	nsObj := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}
	if _, err := tc.Client.CoreV1().Namespaces().Create(context.Background(), nsObj, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 2})
	_, stderr, code := boot(t, tc, "-f", file, "--no-probe")
	if code == 0 {
		t.Fatal("boot into a session without a record succeeded")
	}
	want := `session "` + ns + `" already exists; choose another name or run kubectl drunc terminate -n ` + ns
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q", want)
	}
	live, pods, services := objects(t, tc, ns)
	cms, err := tc.Client.CoreV1().ConfigMaps(ns).List(context.Background(), metav1.ListOptions{LabelSelector: sessionrecord.RecordLabel})
	if err != nil {
		t.Fatal(err)
	}
	if !live || pods != 0 || services != 0 || len(cms.Items) != 0 {
		t.Errorf("after the refused boot: namespace live=%v, %d pods, %d services, %d record objects; want it untouched", live, pods, services, len(cms.Items))
	}
}

func TestBootWaitsForTerminatingSession(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("again")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 3})
	// Namespace deletion takes 5-10 s here: allow more than drunc's 10 s.
	pm := pmConfig(t, `{"settings": {"cleanup": {"restart_cleanup_time": 60}}}`)
	if _, stderr, code := boot(t, tc, "-f", file, "--no-probe", "--pm-config", pm); code != 0 {
		t.Fatalf("first boot exit code %d\n%s", code, stderr)
	}
	old := podUIDs(t, tc, ns)
	if err := tc.Client.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := boot(t, tc, "-f", file, "--no-probe", "--pm-config", pm)
	if code != 0 {
		t.Fatalf("boot of a terminating session: exit code %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `session "`+ns+`" is terminating: waiting up to 1m0s`) {
		t.Errorf("stderr does not say it waited for the terminating session")
	}
	now := podUIDs(t, tc, ns)
	if len(now) != 5 {
		t.Fatalf("%d pods after the second boot, want 5", len(now))
	}
	for name, uid := range now {
		if old[name] == uid {
			t.Errorf("pod %s is the old one (%s)", name, uid)
		}
	}
}

// TestBootRefusesBadHostsCreatingNothing: hosts that are cordoned, tainted
// NoSchedule, NotReady or unknown are all named, each with its processes
// and its fix, and nothing is created.
func TestBootRefusesBadHostsCreatingNothing(t *testing.T) {
	tc := testcluster.Get(t)
	names := testcluster.NodeNames("np05-srv", 4)
	good, cordoned, tainted, notReady := names[0], names[1], names[2], names[3]
	unknown := tc.UniqueName("np05-none")
	tc.Nodes(t, good, cordoned, tainted)
	tc.CordonNode(t, cordoned)
	tc.TaintNode(t, tainted, corev1.Taint{Key: "drunc.test/maintenance", Effect: corev1.TaintEffectNoExecute})
	ctx := context.Background()
	// A node no kubelet (kwok) manages never becomes Ready.
	n := testcluster.FakeNode(notReady)
	delete(n.Annotations, testcluster.FakeNodeAnnotation)
	if _, err := tc.Client.CoreV1().Nodes().Create(ctx, n, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tc.Client.CoreV1().Nodes().Delete(context.Background(), notReady, metav1.DeleteOptions{}) })

	ns := tc.UniqueName("badhosts")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: good, Hosts: []string{cordoned, tainted, notReady, unknown}, Apps: 8})
	_, stderr, code := boot(t, tc, "-f", file, "--no-probe")
	if code == 0 {
		t.Fatal("boot onto bad hosts succeeded")
	}
	for _, want := range []string{
		`cannot boot session "` + ns + `": 4 host(s) cannot run processes, nothing was created`,
		cordoned + ": cordoned (unschedulable) (processes: app-000, app-004); kubectl uncordon " + cordoned,
		tainted + ": tainted drunc.test/maintenance:NoExecute (processes: app-001, app-005); DAQ pods tolerate no taint: kubectl taint nodes " + tainted + " drunc.test/maintenance:NoExecute-",
		notReady + ": NotReady (processes: app-002, app-006)",
		unknown + ": no such node (processes: app-003, app-007)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if strings.Contains(stderr, good+":") {
		t.Errorf("the good host %s is listed as bad", good)
	}
	live, pods, services := objects(t, tc, ns)
	if live || pods != 0 || services != 0 {
		t.Errorf("after the refused boot: namespace exists=%v, %d pods, %d services; want nothing", live, pods, services)
	}
}

// TestBootConcurrentBoots: two identical boots at once both end with the
// session up, every process created once (a second create of a name fails,
// so one pod per name means one create), and the record agrees.
func TestBootConcurrentBoots(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("race")
	cleanupSession(t, tc, ns)
	file := bootFile(t, genSession{Name: ns, Gate: host, Hosts: []string{host}, Apps: 4})
	_ = testcluster.PluginBinary(t) // build once, before the race
	type run struct {
		stdout, stderr string
		code           int
	}
	var runs [2]run
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range runs {
		wg.Go(func() {
			<-start
			runs[i].stdout, runs[i].stderr, runs[i].code = tc.Plugin(t, "boot", "-f", file, "--no-probe")
		})
	}
	close(start)
	wg.Wait()
	for _, r := range runs {
		if r.code != 0 {
			t.Errorf("a boot failed (exit %d):\n%s", r.code, r.stderr)
		}
	}
	if ready := readyPods(t, tc, ns); len(ready) != 6 {
		t.Errorf("%d Ready pods, want 6", len(ready))
	}
	recordAgrees(t, tc, ns, 6)
	// Each application is counted created by the one boot that created it
	// (the other says a concurrent boot did, or that it was running).
	apps := 0
	for _, r := range runs {
		if m := createdApps.FindAllStringSubmatch(r.stderr, -1); len(m) > 0 {
			n, _ := strconv.Atoi(m[len(m)-1][1])
			apps += n
		}
	}
	if apps != 4 {
		t.Errorf("the two boots say they created %d applications, want 4:\n%s\n%s", apps, runs[0].stderr, runs[1].stderr)
	}
}

// createdApps reads boot's progress line of the applications' stage.
var createdApps = regexp.MustCompile(`applications: created (\d+)/`)

// requireNodePort fails the test, saying how to fix the cluster, when its
// NodePort range excludes port (DUNE's connection server uses 5000).
func requireNodePort(t *testing.T, tc *testcluster.Cluster, port int32) {
	t.Helper()
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "nodeport-range-check"},
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Selector: map[string]string{"app": "none"},
			Ports: []corev1.ServicePort{{Port: port, NodePort: port}}},
	}
	// A dry run does not allocate, so it cannot tell: create and delete.
	ns := tc.Namespace(t, "nodeport-check")
	_, err := tc.Client.CoreV1().Services(ns).Create(context.Background(), svc, metav1.CreateOptions{})
	if err == nil {
		_ = tc.Client.CoreV1().Services(ns).Delete(context.Background(), svc.Name, metav1.DeleteOptions{})
	}
	if err != nil && strings.Contains(err.Error(), "range of valid ports") {
		t.Fatalf("the test cluster's NodePort range excludes %d, which DUNE's local-1x1-config needs: restart it (make cluster-down cluster-up; hack/cluster/up.sh allows 1024-32767): %v", port, err)
	}
}

func equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
