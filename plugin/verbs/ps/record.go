package ps

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// The STATUS of a recorded process that has no pod: killed by kubectl
// drunc (until flushed, as drunc shows it), or gone without it (a pod
// deleted by hand, a lost node).
const (
	StatusKilled = "Killed"
	StatusLost   = "Lost"
)

// recordReaders bounds the sessions whose record ps -A reads at once.
const recordReaders = 8

// gone is a recorded process without a pod: the pod its record describes
// stands in for it, and the row shows the class instead of a pod status.
type gone struct {
	pod    *corev1.Pod
	status string
	exit   *int32
}

// recordedGone reads the record of each session (one read each, in
// parallel) and returns its Killed and Lost processes. Sessions without a
// record (booted by drunc's Python manager) add nothing; a record that
// cannot be read is reported on warn and skipped: ps never needs it.
func recordedGone(ctx context.Context, client kubernetes.Interface, sessions []string, pods []*corev1.Pod, keys session.LabelKeys, warn io.Writer) []gone {
	bySession := map[string][]*corev1.Pod{}
	for _, p := range pods {
		bySession[p.Namespace] = append(bySession[p.Namespace], p)
	}
	sessions = withRecordIndex(ctx, client, sessions)
	results := make([][]gone, len(sessions))
	errs := make([]error, len(sessions))
	sem := make(chan struct{}, recordReaders)
	var wg sync.WaitGroup
	for i, name := range sessions {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rec, err := sessionrecord.New(client, name).Read(ctx)
			if err != nil {
				errs[i] = err
				return
			}
			results[i], errs[i] = goneOf(name, rec, bySession[name], keys)
		}()
	}
	wg.Wait()
	var out []gone
	for i := range sessions {
		if errs[i] != nil && ctx.Err() == nil {
			fmt.Fprintf(warn, "Warning: killed and lost processes of session %q are not shown: %v\n", sessions[i], errs[i])
		}
		out = append(out, results[i]...)
	}
	return out
}

// withRecordIndex keeps, of several sessions (ps -A), those that have a
// record index: one LIST instead of one GET per session, which matters
// with many sessions (client-side rate limits) and costs nothing for
// sessions booted by drunc's Python manager. Without the right to list
// ConfigMaps in every namespace, each session is read on its own.
func withRecordIndex(ctx context.Context, client kubernetes.Interface, sessions []string) []string {
	if len(sessions) <= 1 {
		return sessions
	}
	list, err := client.CoreV1().ConfigMaps("").List(ctx, metav1.ListOptions{
		LabelSelector: sessionrecord.RecordLabel + "=" + sessionrecord.RoleIndex})
	if err != nil {
		return sessions
	}
	has := map[string]bool{}
	for _, cm := range list.Items {
		has[cm.Namespace] = true
	}
	return slices.DeleteFunc(sessions, func(s string) bool { return !has[s] })
}

// goneOf is the Killed and Lost processes of one session; Flushed ones
// are forgotten, as drunc's flush forgets them.
func goneOf(sessionName string, rec *sessionrecord.Record, pods []*corev1.Pod, keys session.LabelKeys) ([]gone, error) {
	if !rec.Found() {
		return nil, nil
	}
	var out []gone
	for _, r := range sessionrecord.Reconcile(rec, pods, keys) {
		var g gone
		switch r.Class {
		case sessionrecord.ClassKilled:
			exit := sessionrecord.NoExit
			if r.Entry.ExitCode != nil {
				exit = *r.Entry.ExitCode
			}
			g = gone{status: StatusKilled, exit: &exit}
		case sessionrecord.ClassLost:
			g = gone{status: StatusLost}
		default:
			continue
		}
		pod, _, err := r.Entry.Objects()
		if err != nil {
			return nil, fmt.Errorf("the record of process %q: %w", r.Name, err)
		}
		pod.Namespace, pod.Name = sessionName, r.Name
		pod.CreationTimestamp.Time = r.Entry.BootedAt
		pod.Status = corev1.PodStatus{}
		g.pod = pod
		out = append(out, g)
	}
	return out, nil
}

// withRecord returns the selected views of the live pods and of the
// recorded processes without one, all in the session's order.
func withRecord(pods []*corev1.Pod, gones []gone, keys session.LabelKeys, keep func(*corev1.Pod) bool) []process.View {
	byPod := make(map[*corev1.Pod]*gone, len(gones))
	all := append([]*corev1.Pod(nil), pods...)
	for i := range gones {
		byPod[gones[i].pod] = &gones[i]
		all = append(all, gones[i].pod)
	}
	views := process.Selected(all, keys, keep)
	for i := range views {
		if g, ok := byPod[views[i].Pod]; ok {
			views[i].Status, views[i].Exit, views[i].State = g.status, g.exit, process.Dead
			views[i].IP, views[i].Ready = "", false
		}
	}
	return views
}

// sessionsOf is the sessions to read records of: -n's, or with -A those
// that have processes.
func sessionsOf(namespace string, pods []*corev1.Pod) []string {
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
