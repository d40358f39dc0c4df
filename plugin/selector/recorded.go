package selector

import (
	"context"
	"slices"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// MatchesEntry reports whether a recorded process without a pod is
// selected: the pod its record holds is matched as a live one would be
// (name, uuid, role, user, -l), so a killed process is selected by the
// same flags that selected it alive.
func (s *Selector) MatchesEntry(e *sessionrecord.Entry) bool {
	pod, _, err := e.Objects()
	if err != nil {
		return false
	}
	return s.Matches(pod)
}

// RecordedProcess is a recorded process of a session, without a pod.
type RecordedProcess struct {
	Session string
	sessionrecord.Reconciled
}

// Recorded reads the session record of each session and returns its
// processes without a pod whose class is one of classes and that the
// selection matches, by session then name. pods are the session's live pods
// (all of them, not only the selected ones: a pod under the recorded name
// means the process is there). A session without a record (booted by
// drunc's Python manager) contributes nothing. An unreadable record is an
// error naming it; callers that can do without treat it as a warning.
func (s *Selector) Recorded(ctx context.Context, client kubernetes.Interface, sessions []string, pods []*corev1.Pod, classes ...sessionrecord.Class) ([]RecordedProcess, error) {
	bySession := map[string][]*corev1.Pod{}
	for _, p := range pods {
		bySession[p.Namespace] = append(bySession[p.Namespace], p)
	}
	var out []RecordedProcess
	for _, name := range sessions {
		rec, err := sessionrecord.New(client, name).Read(ctx)
		if err != nil {
			return out, err
		}
		if !rec.Found() {
			continue
		}
		for _, r := range sessionrecord.Reconcile(rec, bySession[name], s.keys) {
			if r.Pod == nil && slices.Contains(classes, r.Class) && s.MatchesEntry(r.Entry) {
				out = append(out, RecordedProcess{Session: name, Reconciled: r})
			}
		}
	}
	return out, nil
}

// Sessions are the sessions a verb reads records of: the one of -n, else
// (-A) those with a pod in the cache — a session whose every process was
// killed has no pod left, so -A does not see its record; -n SESSION does.
func Sessions(namespace string, pods []*corev1.Pod) []string {
	if namespace != "" {
		return []string{namespace}
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range pods {
		if !seen[p.Namespace] {
			seen[p.Namespace] = true
			out = append(out, p.Namespace)
		}
	}
	sort.Strings(out)
	return out
}
