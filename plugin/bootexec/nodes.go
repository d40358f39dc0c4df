package bootexec

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/hosts"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// checkHosts returns the node of each host the session uses, or a
// *hosts.Error naming every host that cannot run its processes; nothing is
// written (see hosts.Check).
func checkHosts(ctx context.Context, client kubernetes.Interface, objs *podspec.Objects) (map[string]*corev1.Node, error) {
	var pins hosts.Pins
	for _, p := range objs.Processes {
		pins.Add(p.Process.Host, p.Process.Name)
	}
	return hosts.Check(ctx, client, &pins, fmt.Sprintf("boot session %q", objs.Namespace.Name), "nothing was created")
}
