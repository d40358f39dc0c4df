package boot

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// keepUUIDs gives the processes of s the uuids they already have in the
// session, when it exists and kubectl drunc booted it: from the record
// (killed and flushed processes too), else from their pods. A process boot
// creates again is then the same process, as drunc's restart keeps it.
// A new session costs one read (the record's index, not found).
func keepUUIDs(ctx context.Context, client kubernetes.Interface, s *session.Session, keys session.LabelKeys) error {
	rec, err := sessionrecord.New(client, s.Name).Read(ctx)
	if err != nil || !rec.Found() {
		return err
	}
	kept := map[string]string{}
	pods, err := client.CoreV1().Pods(s.Name).List(ctx, metav1.ListOptions{LabelSelector: keys.CreatorSelector()})
	if err != nil {
		return fmt.Errorf("cannot list the pods of session %q: %w", s.Name, err)
	}
	for _, p := range pods.Items {
		if u := p.Labels[keys.UUID()]; u != "" {
			kept[p.Name] = u
		}
	}
	for name, e := range rec.Entries {
		if e.UUID != "" {
			kept[name] = e.UUID
		}
	}
	for i := range s.Processes {
		if p := &s.Processes[i]; p.UUID == "" {
			p.UUID = kept[p.Name]
		}
	}
	return nil
}
