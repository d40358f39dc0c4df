package health

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

var (
	keys = session.Keys("")
	t0   = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
)

// pod is a drunc pod on host, running and ready unless mutated.
func pod(ns, name, treeID, host string, mutate ...func(*corev1.Pod)) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, UID: types.UID(ns + "/" + name), Labels: map[string]string{
			keys.Creator(): session.CreatorValue, keys.UUID(): "u-" + name, keys.TreeID(): treeID,
		}},
		Spec: corev1.PodSpec{NodeName: host, NodeSelector: map[string]string{corev1.LabelHostname: host},
			RestartPolicy: corev1.RestartPolicyNever, Containers: []corev1.Container{{Name: name, Command: []string{"daq_application"}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue},
				{Type: corev1.ContainersReady, Status: corev1.ConditionTrue}, {Type: corev1.PodReady, Status: corev1.ConditionTrue}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: name, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func exited(code int32) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		phase, reason := corev1.PodFailed, "Error"
		if code == 0 {
			phase, reason = corev1.PodSucceeded, "Completed"
		}
		p.Status.Phase = phase
		p.Status.Conditions[2].Status = corev1.ConditionFalse
		p.Status.Conditions[2].Reason = "PodCompleted"
		p.Status.ContainerStatuses[0].Ready = false
		p.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason}}
	}
}

func unschedulable(p *corev1.Pod) {
	p.Spec.NodeName = ""
	p.Status = corev1.PodStatus{Phase: corev1.PodPending, Conditions: []corev1.PodCondition{{Type: corev1.PodScheduled,
		Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable, Message: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector."}}}
}

func restarted(n int32, at time.Time) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		s := &p.Status.ContainerStatuses[0]
		s.RestartCount = n
		s.LastTerminationState.Terminated = &corev1.ContainerStateTerminated{ExitCode: 137, Reason: "OOMKilled", FinishedAt: metav1.NewTime(at)}
	}
}

func node(name string, mutate ...func(*corev1.Node)) *corev1.Node {
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{corev1.LabelHostname: name}},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}}
	for _, m := range mutate {
		m(n)
	}
	return n
}

func lost(n *corev1.Node) {
	n.Status.Conditions[0].Status = corev1.ConditionUnknown
	n.Status.Conditions[0].Message = "Kubelet stopped posting node status."
}

func cordoned(n *corev1.Node) { n.Spec.Unschedulable = true }

// fixture: run42 has one process per unhealthy state plus healthy ones;
// run43 is healthy.
func fixture() Input {
	warning := &corev1.Event{Reason: "BackOff", Message: "Back-off restarting failed container", Type: corev1.EventTypeWarning,
		Count: 4, LastTimestamp: metav1.NewTime(t0)}
	return Input{
		Keys: keys,
		Pods: []*corev1.Pod{
			pod("run42", "root-controller", "0", "h1"),
			pod("run42", "ru-01", "0.0", "h1", exited(3)),
			pod("run42", "ru-02", "0.1", "h2", unschedulable),
			pod("run42", "df-01", "0.2", "h3"), // on the lost node, not marked yet
			pod("run42", "df-02", "0.3", "h4", restarted(2, t0)),
			pod("run42", "tp-01", "0.4", "h4", exited(0)),
			pod("run43", "root-controller", "0", "h4"),
		},
		Nodes: NodesOf([]*corev1.Node{node("h1"), node("h3", lost), node("h4", cordoned)}),
		LastWarning: func(uid types.UID) *corev1.Event {
			if uid == "run42/ru-01" {
				return warning
			}
			return nil
		},
	}
}

func TestSummarize(t *testing.T) {
	r := Summarize(fixture())
	if r.Healthy || len(r.Sessions) != 2 {
		t.Fatalf("healthy %v, %d sessions; want unhealthy, 2", r.Healthy, len(r.Sessions))
	}
	s := r.Sessions[0]
	var got []string
	for _, p := range s.Problems {
		got = append(got, p.Name+":"+string(p.State))
	}
	want := []string{"df-01:NodeLost", "ru-01:Exited", "tp-01:Exited", "ru-02:Unschedulable"}
	if len(got) != len(want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("problem %d = %s, want %s", i, got[i], want[i])
		}
	}
	if !r.Sessions[1].Healthy || len(r.Sessions[1].Problems) != 0 {
		t.Errorf("run43 should be healthy: %+v", r.Sessions[1])
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "report.golden.json", append(b, '\n'))
}

// A healthy session has no problems, and its lists are empty, not null.
func TestHealthy(t *testing.T) {
	r := Summarize(Input{Keys: keys, Pods: []*corev1.Pod{pod("s", "a", "0", "h1"), pod("s", "b", "0.0", "h1")}, Nodes: NodesOf(nil)})
	if !r.Healthy || r.Sessions[0].Ready != 2 {
		t.Fatalf("want healthy with 2 ready: %+v", r)
	}
	b, _ := json.Marshal(r.Sessions[0])
	for _, k := range []string{`"problems":[]`, `"restarted":[]`} {
		if !json.Valid(b) || !strings.Contains(string(b), k) {
			t.Errorf("%s missing in %s", k, b)
		}
	}
	// h1 is not a node: the host is a problem, the processes are not.
	if len(r.Sessions[0].Hosts) != 1 || r.Sessions[0].Hosts[0].Problems[0] != "Unknown" {
		t.Errorf("hosts %+v, want h1 Unknown", r.Sessions[0].Hosts)
	}
}

// Without nodes (RBAC), hosts are not checked and a pod on a lost node is
// what it says it is.
func TestWithoutNodes(t *testing.T) {
	in := fixture()
	in.Nodes = nil
	r := Summarize(in)
	if r.HostsChecked || len(r.Sessions[0].Hosts) != 0 {
		t.Errorf("hosts checked without nodes: %+v", r.Sessions[0].Hosts)
	}
	for _, p := range r.Sessions[0].Problems {
		if p.Name == "df-01" {
			t.Errorf("df-01 runs and is ready per its pod; without nodes it is no problem: %+v", p)
		}
	}
}

// The session record's absent processes are counted and listed.
func TestAbsent(t *testing.T) {
	killedExit := int32(-1)
	r := Summarize(Input{Keys: keys, Pods: []*corev1.Pod{pod("s", "a", "0", "h1")},
		Absent: []Absent{{Session: "s", Name: "b", Killed: true, ExitCode: &killedExit, Role: session.RoleApplication}, {Session: "s", Name: "c"}}})
	s := r.Sessions[0]
	if s.Healthy || s.Processes != 3 || len(s.Problems) != 2 || s.Problems[0].State != Killed || s.Problems[1].State != Lost {
		t.Errorf("absent processes not reported: %+v", s)
	}
	if code := s.Problems[0].ExitCode; code == nil || *code != killedExit {
		t.Errorf("the killed process's recorded exit code is not reported: %v", code)
	}
}

// A host with a taint DAQ pods do not tolerate is a problem host; the
// not-ready taint a Ready node keeps for a moment is not.
func TestTaintedHost(t *testing.T) {
	tainted := func(key string) func(*corev1.Node) {
		return func(n *corev1.Node) {
			n.Spec.Taints = append(n.Spec.Taints, corev1.Taint{Key: key, Value: "x", Effect: corev1.TaintEffectNoSchedule})
		}
	}
	r := Summarize(Input{Keys: keys, Pods: []*corev1.Pod{pod("s", "a", "0", "h1"), pod("s", "b", "0.0", "h2")},
		Nodes: NodesOf([]*corev1.Node{node("h1", tainted("maintenance")), node("h2", tainted(corev1.TaintNodeNotReady))})})
	hosts := r.Sessions[0].Hosts
	if len(hosts) != 1 || hosts[0].Name != "h1" || hosts[0].String() != "Tainted" ||
		hosts[0].Message != "tainted maintenance=x:NoSchedule: DAQ pods tolerate no taint" {
		t.Errorf("hosts %+v, want only h1 Tainted by maintenance=x:NoSchedule", hosts)
	}
}
