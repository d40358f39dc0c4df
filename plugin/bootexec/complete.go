package bootexec

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessiondiff"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// claimWait is how long a boot that finds the session namespace just
// created, without its record yet, waits for the record: a concurrent boot
// of the same configuration creates it right after the namespace.
const claimWait = 10 * time.Second

// ChangedError: processes of the existing session run with another spec
// than the configuration's; boot touched nothing (without --replace).
// Report says what differs (its Changed; WriteHuman prints it).
type ChangedError struct {
	Report *sessiondiff.Report
}

func (e *ChangedError) Error() string {
	names := make([]string, len(e.Report.Changed))
	for i, c := range e.Report.Changed {
		names[i] = c.Name
	}
	return fmt.Sprintf("session %q: %d process(es) run with another spec than the configuration (%s); nothing was created or changed: kubectl drunc diff -n %s shows what differs, boot --replace kills and recreates them",
		e.Report.Session, len(names), strings.Join(names, ", "), e.Report.Session)
}

// adopt makes the run complete an existing session: one kubectl drunc
// booted from the same source (its record says so). Only the processes
// without a pod are created; a process whose pod differs from the
// configuration stops the run before any write, unless Replace.
func (b *booter) adopt(ctx context.Context) error {
	h, err := b.awaitRecord(ctx)
	if err != nil {
		return err
	}
	// The record exists: it is checked, not claimed again (a create
	// refused as AlreadyExists is still a write attempt).
	if !sessionrecord.SameSource(h.Source, b.cfg.Source) {
		return &sessionrecord.OtherSourceError{Session: b.ns, Recorded: h.Source, Proposed: b.cfg.Source}
	}
	b.header = h
	rec, err := b.store.Read(ctx)
	if err != nil {
		return err
	}
	pods, err := b.cfg.Client.CoreV1().Pods(b.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("cannot list the pods of session %q: %w", b.ns, err)
	}
	svcs, err := b.cfg.Client.CoreV1().Services(b.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("cannot list the services of session %q: %w", b.ns, err)
	}
	in := sessiondiff.Input{Session: b.ns, Record: rec, Keys: b.cfg.Settings.Keys()}
	for i := range pods.Items {
		if pods.Items[i].DeletionTimestamp == nil {
			in.Pods = append(in.Pods, &pods.Items[i])
		}
	}
	in.Desired = b.comparable(in.Pods)
	for i := range svcs.Items {
		in.Services = append(in.Services, &svcs.Items[i])
	}
	rep := sessiondiff.Compute(in)
	rep.Changed = withoutPendingServices(rep.Changed, in.Services)
	changed := map[string]bool{}
	for _, c := range rep.Changed {
		changed[c.Name] = true
	}
	if len(rep.Changed) > 0 && !b.cfg.Replace {
		return &ChangedError{Report: rep}
	}
	b.adopted = true
	b.replace = changed
	running := map[string]*corev1.Pod{}
	for _, p := range in.Pods {
		if changed[p.Name] {
			b.replacePods = append(b.replacePods, p)
		} else {
			running[p.Name] = p
		}
	}
	already := 0
	for _, r := range b.objs.Processes {
		if running[r.Process.Name] != nil {
			b.markRunning(r.Process.Name)
			already++
		}
	}
	if lcs := b.objs.LCS(); lcs != nil && running[lcs.Process.Name] != nil {
		for _, s := range svcs.Items {
			if s.Name == lcs.Process.Name {
				b.lcsIP = s.Spec.ClusterIP
			}
		}
	}
	b.res.Completed = true
	b.prog.done("session %q exists (booted from %s): %d process(es) already running, %d to create", b.ns, b.header.Source, already, len(b.objs.Processes)-already)
	if len(rep.Extra) > 0 {
		b.prog.done("Warning: session %q runs %d process(es) this configuration does not have (%s): boot leaves them as they are; kubectl drunc diff -n %s lists them, kubectl drunc kill removes them",
			b.ns, len(rep.Extra), extraNames(rep.Extra), b.ns)
	}
	return nil
}

// extraNames lists the first few extra processes by name.
func extraNames(extra []sessiondiff.Extra) string {
	const shown = 5
	names := make([]string, 0, shown)
	for _, e := range extra[:min(len(extra), shown)] {
		names = append(names, e.Name)
	}
	if len(extra) > shown {
		names = append(names, fmt.Sprintf("and %d more", len(extra)-shown))
	}
	return strings.Join(names, ", ")
}

// awaitRecord waits, for a namespace created moments ago, until its record
// exists, and returns its header; a session without one was not booted by
// kubectl drunc (or its boot stopped before it wrote anything): it is
// refused as before.
func (b *booter) awaitRecord(ctx context.Context) (*sessionrecord.Header, error) {
	ns, err := b.cfg.Client.CoreV1().Namespaces().Get(ctx, b.ns, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("cannot read namespace %q: %w", b.ns, err)
	}
	until := ns.CreationTimestamp.Add(claimWait)
	if ns.Labels[session.ManagedByLabel] != session.ManagedByValue {
		until = time.Time{} // not made by a boot: no record to wait for
	}
	for {
		h, err := b.store.ReadHeader(ctx)
		switch {
		case err != nil:
			return nil, err
		case h != nil:
			return h, nil
		case time.Now().After(until):
			return nil, &SessionExistsError{Session: b.ns}
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// markRunning counts a process that is already up as not to be created.
func (b *booter) markRunning(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := &b.res.Processes[b.index[name]]
	p.Outcome, p.AlreadyRunning, p.Status = Ready, true, "Running"
}

// toCreate drops from a stage the processes that are already running.
func (b *booter) toCreate(procs []podspec.Rendered) []podspec.Rendered {
	if !b.adopted {
		return procs
	}
	var out []podspec.Rendered
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range procs {
		if !b.res.Processes[b.index[r.Process.Name]].AlreadyRunning {
			out = append(out, r)
		}
	}
	return out
}

// comparable is the configuration as compared with the live pods: a
// process whose uuid was drawn for this run takes its live pod's.
func (b *booter) comparable(pods []*corev1.Pod) []podspec.Rendered {
	live := map[string]*corev1.Pod{}
	for _, p := range pods {
		live[p.Name] = p
	}
	key := b.cfg.Settings.Keys().UUID()
	out := make([]podspec.Rendered, len(b.objs.Processes))
	for i, r := range b.objs.Processes {
		if p := live[r.Process.Name]; p != nil && b.cfg.DrawnUUIDs[r.Process.Name] {
			r.Pod = r.Pod.DeepCopy()
			r.Pod.Labels[key] = p.Labels[key]
		}
		out[i] = r
	}
	return out
}

// errCreatedByOther: the pod was created meanwhile by a concurrent boot of
// the same configuration (both claimed the session for one source, so no
// other boot creates processes in it).
var errCreatedByOther = errors.New("created by a concurrent boot")

// createdByOther tells, after a create was refused, whether the process's
// pod now exists.
func (b *booter) createdByOther(name string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := b.cfg.Client.CoreV1().Pods(b.ns).Get(ctx, name, metav1.GetOptions{})
	return err == nil && p.DeletionTimestamp == nil
}

// withoutPendingServices drops the processes whose only difference is a
// service not created yet: a concurrent boot creates it right after the
// pod (or deletes the pod when the service is refused).
func withoutPendingServices(changed []sessiondiff.Changed, services []*corev1.Service) []sessiondiff.Changed {
	have := map[string]bool{}
	for _, s := range services {
		have[s.Name] = true
	}
	var out []sessiondiff.Changed
	for _, c := range changed {
		pending := !have[c.Name]
		for _, f := range c.Fields {
			pending = pending && f.Object == "service"
		}
		if !pending {
			out = append(out, c)
		}
	}
	return out
}
