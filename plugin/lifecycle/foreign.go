package lifecycle

import (
	"context"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// foreignObjects lists the pods and services in a namespace that drunc did
// not make (no creator label) and that are not already being deleted.
// Deleting the namespace would delete them too, so terminate keeps it.
func foreignObjects(ctx context.Context, cfg Config, namespace string, keys session.LabelKeys) ([]string, error) {
	var out []string
	pods, err := cfg.Client.CoreV1().Pods(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for i := range pods.Items {
		if p := &pods.Items[i]; !Owned(p, keys) && p.DeletionTimestamp == nil {
			out = append(out, "pod/"+p.Name)
		}
	}
	services, err := cfg.Client.CoreV1().Services(namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, err
	}
	for i := range services.Items {
		if s := &services.Items[i]; !Owned(s, keys) && s.DeletionTimestamp == nil {
			out = append(out, "service/"+s.Name)
		}
	}
	return out, nil
}

// listSome names up to five objects, then how many more.
func listSome(names []string) string {
	if len(names) <= 5 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:5], ", "), len(names)-5)
}
