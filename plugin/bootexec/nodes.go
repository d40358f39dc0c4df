package bootexec

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// checkHosts reads every Node once (one LIST, however many hosts) and
// returns the node of each host the session uses, or a HostsError
// naming every host that is missing, not Ready or cordoned with the
// processes pinned to it. Nothing is written.
func checkHosts(ctx context.Context, client kubernetes.Interface, objs *podspec.Objects) (map[string]*corev1.Node, error) {
	pinned := map[string][]string{}
	var order []string
	for _, p := range objs.Processes {
		if _, seen := pinned[p.Process.Host]; !seen {
			order = append(order, p.Process.Host)
		}
		pinned[p.Process.Host] = append(pinned[p.Process.Host], p.Process.Name)
	}
	list, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("cannot check the hosts of session %q: %w", objs.Namespace.Name, err)
	}
	nodes := make(map[string]*corev1.Node, len(list.Items))
	for i := range list.Items {
		n := &list.Items[i]
		nodes[n.Name] = n
		// drunc pins by kubernetes.io/hostname, which may differ from the name.
		if h := n.Labels[corev1.LabelHostname]; h != "" && nodes[h] == nil {
			nodes[h] = n
		}
	}
	found := map[string]*corev1.Node{}
	hostsErr := &HostsError{Session: objs.Namespace.Name}
	for _, host := range order {
		n := nodes[host]
		bad := BadHost{Host: host, Processes: pinned[host]}
		switch {
		case n == nil:
			bad.Problem = "no such node"
			bad.Fix = "check the host name against kubectl get nodes"
		case !nodeReady(n):
			bad.Problem = "NotReady"
			bad.Fix = fmt.Sprintf("see kubectl describe node %s", n.Name)
		case n.Spec.Unschedulable:
			bad.Problem = "cordoned (unschedulable)"
			bad.Fix = fmt.Sprintf("kubectl uncordon %s when it may run DAQ processes again", n.Name)
		default:
			found[host] = n
			continue
		}
		hostsErr.Hosts = append(hostsErr.Hosts, bad)
	}
	if len(hostsErr.Hosts) > 0 {
		return nil, hostsErr
	}
	return found, nil
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
