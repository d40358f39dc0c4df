package hosts

import (
	"context"
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// Check finds a node by name or by its hostname label, and names each bad
// host once with all its processes, in the words of the caller.
func TestCheck(t *testing.T) {
	ready := []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}
	client := fake.NewClientset(
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1", Labels: map[string]string{corev1.LabelHostname: "np02-srv-001"}}, Status: corev1.NodeStatus{Conditions: ready}},
		&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n2"}, Spec: corev1.NodeSpec{Unschedulable: true}, Status: corev1.NodeStatus{Conditions: ready}})
	var pins Pins
	pins.Add("np02-srv-001", "s/ru-01")
	pins.Add("n2", "s/df-01")
	pins.Add("n2", "s/df-02")
	nodes, err := Check(context.Background(), client, &pins, `restart processes of session "s"`, "nothing was killed")
	var he *Error
	if !errors.As(err, &he) || nodes != nil {
		t.Fatalf("Check = %v, %v; want an *Error", nodes, err)
	}
	want := `cannot restart processes of session "s": 1 host(s) cannot run processes, nothing was killed:
  n2: cordoned (unschedulable) (processes: s/df-01, s/df-02); kubectl uncordon n2 when it may run DAQ processes again`
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", err, want)
	}
	var ok Pins
	ok.Add("np02-srv-001", "s/ru-01")
	if nodes, err := Check(context.Background(), client, &ok, "x", "y"); err != nil || nodes["np02-srv-001"].Name != "n1" {
		t.Errorf("Check = %v, %v; want np02-srv-001 found as node n1", nodes, err)
	}
}

// A taint that forbids scheduling or evicts refuses the host, with the
// kubectl taint command that lifts it; the taints the node lifecycle
// controller keeps in step with readiness and cordoning, and
// PreferNoSchedule, do not.
func TestCheckTaints(t *testing.T) {
	ready := []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}
	node := func(name string, taints ...corev1.Taint) *corev1.Node {
		return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: corev1.NodeSpec{Taints: taints}, Status: corev1.NodeStatus{Conditions: ready}}
	}
	client := fake.NewClientset(
		node("tainted",
			corev1.Taint{Key: "maintenance", Value: "disk", Effect: corev1.TaintEffectNoSchedule},
			corev1.Taint{Key: "evict", Effect: corev1.TaintEffectNoExecute}),
		node("lagging",
			corev1.Taint{Key: corev1.TaintNodeNotReady, Effect: corev1.TaintEffectNoSchedule},
			corev1.Taint{Key: corev1.TaintNodeUnschedulable, Effect: corev1.TaintEffectNoSchedule},
			corev1.Taint{Key: "soft", Effect: corev1.TaintEffectPreferNoSchedule}))
	var pins Pins
	pins.Add("tainted", "s/ru-01")
	pins.Add("lagging", "s/df-01")
	_, err := Check(context.Background(), client, &pins, `boot session "s"`, "nothing was created")
	want := `cannot boot session "s": 1 host(s) cannot run processes, nothing was created:
  tainted: tainted maintenance=disk:NoSchedule, evict:NoExecute (processes: s/ru-01); DAQ pods tolerate no taint: kubectl taint nodes tainted maintenance=disk:NoSchedule- evict:NoExecute- when it may run DAQ processes again`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
}
