package lifecycle

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestKillFollowsStageOrder kills a three-level session and checks, from
// the order the watch saw deletions in, that every stage was gone before
// the next started going.
func TestKillFollowsStageOrder(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	rec := record(t, tc, ns)

	stdout, stderr, code := tc.Plugin(t, "kill", "-n", ns)
	if code != 0 {
		t.Fatalf("kill exited %d:\n%s", code, stderr)
	}
	var all []string
	for _, p := range threeLevels {
		all = append(all, p.name)
		if !strings.Contains(stdout, p.name) {
			t.Errorf("the table does not list %s:\n%s", p.name, stdout)
		}
	}
	rec.waitGone(t, all)
	going, gone, grace := rec.snapshot()

	stages := [][]string{
		{"ru-01", "ru-02", "tp-01", "df-01", "hsi-01"}, // applications
		{"seg-a-sub"},      // segment controllers, level 2
		{"seg-a", "seg-b"}, // level 1
		{"root-controller"},
		{"dqm-server"},              // infrastructure
		{"local-connection-server"}, // the LCS last
	}
	for i := 0; i+1 < len(stages); i++ {
		lastGone, lastName := 0, ""
		for _, n := range stages[i] {
			if gone[n] > lastGone {
				lastGone, lastName = gone[n], n
			}
		}
		for _, n := range stages[i+1] {
			if going[n] < lastGone {
				t.Errorf("%s started going (event %d) before %s of the previous stage was gone (event %d)", n, going[n], lastName, lastGone)
			}
		}
	}
	for _, n := range all {
		if grace[n] != 30 {
			t.Errorf("%s: deleted with grace period %d, want the pod's own 30 s (drunc's kill_timeout)", n, grace[n])
		}
	}
	for _, want := range []string{"stage application: 5 processes killed", "stage segment-controller level 2", "stage local-connection-server: 1 process killed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if left := pods(t, tc, ns); len(left) != 0 {
		t.Errorf("pods left after kill: %d", len(left))
	}
	waitServicesGone(t, tc, ns, all...)
}

// TestKillSubsetLeavesTheRest kills two applications by name pattern, one
// running and one that had exited: the table shows -1 and its exit code.
func TestKillSubsetLeavesTheRest(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	tc.ExitPod(t, ns, "ru-02", 7)

	stdout, stderr, code := tc.Plugin(t, "kill", "-n", ns, "^ru-0")
	if code != 0 {
		t.Fatalf("kill exited %d:\n%s", code, stderr)
	}
	// NAME ROLE HOST STATUS EXIT AGE: the exit code recorded, -1 for none.
	rows := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n")[1:] {
		f := strings.Fields(line)
		rows[f[0]] = f
	}
	if len(rows) != 2 || rows["ru-01"] == nil || rows["ru-02"] == nil {
		t.Fatalf("the table should list ru-01 and ru-02 only:\n%s", stdout)
	}
	if r := rows["ru-01"]; r[3] != "Killed" || r[4] != "-1" {
		t.Errorf("ru-01 (was running) row %v, want Killed with exit -1", r)
	}
	if r := rows["ru-02"]; r[4] != "7" {
		t.Errorf("ru-02 (had exited with 7) row %v, want exit 7", r)
	}
	left := pods(t, tc, ns)
	for _, p := range threeLevels {
		_, there := left[p.name]
		killed := strings.HasPrefix(p.name, "ru-0")
		if there == killed {
			t.Errorf("%s: present=%v after killing ^ru-0", p.name, there)
		}
		if there && left[p.name].DeletionTimestamp != nil {
			t.Errorf("%s is terminating though not selected", p.name)
		}
	}
	waitServicesGone(t, tc, ns, "ru-01", "ru-02")
	if _, ok := services(t, tc, ns)["df-01"]; !ok {
		t.Errorf("the service of df-01 was deleted")
	}
}

// TestKillGracePeriodAndForce: --grace-period and --force (grace 0) reach
// the API.
func TestKillGracePeriodAndForce(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := bootSession(t, tc, threeLevels)
	rec := record(t, tc, ns)

	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "^ru-01$", "--grace-period=7"); code != 0 {
		t.Fatalf("kill --grace-period exited %d:\n%s", code, stderr)
	}
	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "^df-01$", "--force"); code != 0 {
		t.Fatalf("kill --force exited %d:\n%s", code, stderr)
	}
	rec.waitGone(t, []string{"ru-01", "df-01"})
	_, _, grace := rec.snapshot()
	if grace["ru-01"] != 7 {
		t.Errorf("ru-01 deleted with grace %d, want 7", grace["ru-01"])
	}
	// The apiserver removes a pod deleted with grace 0 within the same
	// request (it may first write deletionTimestamp with grace 0); that it
	// does not wait for a kubelet is shown by the stuck-app test below.
	if g := grace["df-01"]; g != 0 && g != -1 {
		t.Errorf("df-01 deleted with grace %d: --force must use 0", g)
	}
}

// TestKillStageTimeoutIsReportedAndTheNextGoesOn: an application on a host
// nobody runs never goes; its stage times out, the root controller is still
// killed, the exit code is non-zero; --force then removes it at once.
func TestKillStageTimeoutIsReportedAndTheNextGoesOn(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "lc-stuck")
	hosts := testcluster.NodeNames("lc-host", 1)
	tc.Nodes(t, hosts...)
	lost := unmanagedNode(t, tc)
	procs := []proc{{"root-controller", "0", "drunc-controller", 0}, {"stuck-app", "0.1", "daq_application", 0}}
	createRendered(t, tc, ns, hosts, procs, func(p *corev1.Pod) {
		if p.Name == "stuck-app" {
			p.Spec.NodeSelector[corev1.LabelHostname] = lost
			p.Spec.NodeName = lost
		}
	})
	waitRunning(t, tc, ns, "root-controller")

	// 10 s per stage: enough for kwok to remove the root controller even
	// when other tests load it; stuck-app never goes.
	stdout, stderr, code := tc.Plugin(t, "kill", "-n", ns, "--timeout=10s")
	if code == 0 {
		t.Fatalf("kill exited 0 though stuck-app could not go:\n%s\n%s", stdout, stderr)
	}
	for _, want := range []string{"stage application: 1 of 1 process still there after 10s; going on with the next stage",
		"stage root-controller: 1 process killed", "stuck-app", "still terminating after 10s"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	left := pods(t, tc, ns)
	if _, ok := left["root-controller"]; ok {
		t.Errorf("the root controller stage did not run after the timed-out stage")
	}
	if p, ok := left["stuck-app"]; !ok || p.DeletionTimestamp == nil {
		t.Fatalf("stuck-app should be terminating: %+v", p)
	}

	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "stuck-app", "--force", "--timeout=5s"); code != 0 {
		t.Fatalf("kill --force exited %d:\n%s", code, stderr)
	}
	if _, ok := pods(t, tc, ns)["stuck-app"]; ok {
		t.Errorf("stuck-app still there after --force")
	}
}
