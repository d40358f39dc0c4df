package reliability

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestNodeLoss: while a session runs, the kubelet of one node dies (the
// test plays that node's kubelet and stops it: no more Lease renewals) and
// another (kwok) node is deleted. The node lifecycle controller marks the
// first node's pods not Ready after its grace period (hack/cluster: 90 s)
// and the pod GC removes the second node's pods (after 40 s); ps shows the
// first as NodeLost, stops listing the second, leaves the healthy node's
// processes Running, and `wait --for=ready` fails naming them as NodeLost.
func TestNodeLoss(t *testing.T) {
	t.Parallel()
	hosts := testcluster.NodeNames("lost", 3) // kept (kwok), silent (test kubelet), deleted (kwok)
	tc := clusterWithStages(t, hosts[0], hosts[2])
	silent := startKubelet(t, tc, hosts[1])
	ns := tc.UniqueName("nodeloss")
	procs := []proc{
		{name: "root-controller", treeID: "0", host: hosts[0]},
		{name: "app-001", treeID: "0.0", host: hosts[1]},
		{name: "app-002", treeID: "0.1", host: hosts[1]},
		{name: "app-003", treeID: "0.2", host: hosts[2]},
		{name: "app-004", treeID: "0.3", host: hosts[0]},
	}
	tc.DeleteNamespaceLater(t, ns)
	if _, stderr, code := tc.Plugin(t, "boot", "-f", bootFile(t, ns, procs), "-n", ns, "--no-probe", "--wait=false"); code != 0 {
		t.Fatalf("boot: exit %d\n%s", code, stderr)
	}
	eventually(t, 30*time.Second, "pods bound", func() (bool, string) {
		n := 0
		for _, p := range pods(t, tc, ns) {
			if p.Spec.NodeName != "" {
				n++
			}
		}
		return n == len(procs), "not all bound"
	})
	silent.runPods(t, ns)
	if _, stderr, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=60s"); code != 0 {
		t.Fatalf("the session never became Ready: %s", stderr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	silent.die()
	if err := tc.Client.CoreV1().Nodes().Delete(ctx, hosts[2], metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}

	eventually(t, 3*time.Minute, "ps showing the lost nodes' processes", func() (bool, string) {
		rows := psTable(t, tc, ns)
		// app-003's pod went with its deleted node: the session record
		// keeps it, as Lost (not Killed: kubectl drunc did not kill it).
		ok := rows["app-001"].status == "NodeLost" && rows["app-002"].status == "NodeLost" &&
			rows["app-003"].status == "Lost" && rows["app-004"].status == "Running" && rows["root-controller"].status == "Running"
		return ok, strings.Join(fmtRows(rows), "; ") + " | nodes: " + nodeStates(t, tc, hosts)
	})

	_, stderr, code := tc.Plugin(t, "wait", "-n", ns, "--for=ready", "--timeout=5s")
	if code == 0 {
		t.Fatal("wait --for=ready with processes on a lost node exited 0")
	}
	for _, name := range []string{"app-001", "app-002"} {
		if !mentions(stderr, name, "NodeLost") {
			t.Errorf("wait --for=ready does not name %s as NodeLost:\n%s", name, stderr)
		}
	}
	t.Logf("wait --for=ready: exit %d\n%s", code, stderr)
	if strings.Contains(stderr, "app-004") {
		t.Errorf("wait --for=ready names app-004, whose node is fine:\n%s", stderr)
	}
}

// nodeStates is each node's Ready condition (for failure messages).
func nodeStates(t *testing.T, tc *testcluster.Cluster, names []string) string {
	var out []string
	for _, n := range names {
		node, err := tc.Client.CoreV1().Nodes().Get(context.Background(), n, metav1.GetOptions{})
		if err != nil {
			out = append(out, n+" "+err.Error())
			continue
		}
		for _, c := range node.Status.Conditions {
			if c.Type == "Ready" {
				out = append(out, n+" "+string(c.Status)+" "+c.Reason)
			}
		}
	}
	return strings.Join(out, ", ")
}
