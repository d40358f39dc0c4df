package printers

import (
	"io"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// describeTime is kubectl describe's time format.
const describeTime = time.RFC1123Z

// Description is what DescribeProcess prints about one process.
type Description struct {
	// Pod is the process's pod, untrimmed (env, mounts and volumes are
	// printed); nil for a process whose pod is gone.
	Pod *corev1.Pod
	// Session and Name name a gone process (Pod == nil).
	Session, Name string
	Keys          session.LabelKeys
	// Events about the pod (or, when gone, about pods of that name).
	Events []*corev1.Event
	// Recorded is set for a process the session record keeps without a
	// pod; Pod is then the pod its record holds, as boot submitted it.
	Recorded *RecordedState
}

// RecordedState is why a recorded process has no pod.
type RecordedState struct {
	// Status is Killed (by kubectl drunc, kept until flushed) or Lost (its
	// pod was deleted another way, or went with its node).
	Status string
	// ExitCode of a killed process: the code it had exited with, -1 if it
	// still ran.
	ExitCode *int32
	// Since is when it was killed; nil when not known (Lost).
	Since *time.Time
}

// DescribeProcess writes the process as an operator thinks of it, in
// kubectl describe's layout: identity in the session and the control tree,
// what it runs (from the boot record when kubectl-drunc booted it, else the
// container command), its environment and mounts, its status with the
// container's state and exit code, and the pod's recent events, which say
// why it is Pending or why it failed. Event ages are relative to now, as in
// kubectl.
func DescribeProcess(out io.Writer, d Description) error {
	tw := tabwriter.NewWriter(out, 0, 8, 2, ' ', 0)
	w := newPrefixWriter(tw)
	switch {
	case d.Pod == nil:
		describeGone(w, d)
	case d.Recorded != nil:
		describeRecorded(w, d)
	default:
		describePod(w, d)
	}
	events := make([]corev1.Event, 0, len(d.Events))
	for _, e := range d.Events {
		events = append(events, *e)
	}
	describeEvents(events, w)
	return tw.Flush()
}

func describeGone(w *prefixWriter, d Description) {
	w.Write(level0, "Name:\t%s\n", d.Name)
	w.Write(level0, "Session:\t%s\n", d.Session)
	w.Write(level0, "Status:\tGone (no pod: killed, flushed or deleted; its last events follow)\n")
}

// describeRecorded prints a process without a pod from its session
// record: who it is and what it runs, as restart would create it again.
func describeRecorded(w *prefixWriter, d Description) {
	v := describeIdentity(w, d)
	r := d.Recorded
	why := "its pod was deleted without kubectl drunc, or went with its node"
	if r.Status == "Killed" {
		why = "kubectl drunc kill deleted it"
	}
	w.Write(level0, "Status:\t%s (no pod: %s; restart creates it again from the session record, flush forgets it)\n", r.Status, why)
	if r.ExitCode != nil {
		w.Write(level0, "Exit Code:\t%d\n", *r.ExitCode)
	}
	if r.Since != nil {
		w.Write(level0, "Killed At:\t%s\n", r.Since.Format(describeTime))
	}
	c := mainContainer(v.Pod)
	describeProgram(w, v.Pod, c)
	if c != nil {
		w.Write(level0, "Container:\t%s\n", c.Name)
		w.Write(level1, "Image:\t%s\n", c.Image)
		describeEnv(w, c)
		describeMounts(w, v.Pod, c)
	}
}

// describeIdentity prints who the process is: its session, role, place in
// the control tree, uuid, user and host.
func describeIdentity(w *prefixWriter, d Description) process.View {
	v := process.FromPod(d.Pod, d.Keys)
	w.Write(level0, "Name:\t%s\n", v.Name)
	w.Write(level0, "Session:\t%s\n", v.Session)
	w.Write(level0, "Role:\t%s\n", valueOrNone(string(v.Role)))
	w.Write(level0, "Tree ID:\t%s\n", valueOrNone(v.TreeID))
	w.Write(level0, "UUID:\t%s\n", valueOrNone(v.UUID))
	w.Write(level0, "User:\t%s\n", valueOrNone(v.User))
	w.Write(level0, "Host:\t%s\n", valueOrNone(v.Host))
	return v
}

func describePod(w *prefixWriter, d Description) {
	pod := d.Pod
	v := describeIdentity(w, d)
	node := "<none>"
	if pod.Spec.NodeName != "" {
		node = pod.Spec.NodeName + "/" + valueOrNone(pod.Status.HostIP)
	}
	w.Write(level0, "Node:\t%s\n", node)
	if pod.Status.StartTime != nil {
		w.Write(level0, "Start Time:\t%s\n", pod.Status.StartTime.Format(describeTime))
	}
	w.Write(level0, "Status:\t%s\n", v.Status)
	if v.Exit != nil {
		w.Write(level0, "Exit Code:\t%d\n", *v.Exit)
	}
	if pod.Status.Reason != "" {
		w.Write(level0, "Reason:\t%s\n", pod.Status.Reason)
	}
	if pod.Status.Message != "" {
		w.Write(level0, "Message:\t%s\n", pod.Status.Message)
	}
	if pod.DeletionTimestamp != nil {
		w.Write(level0, "Terminating Since:\t%s\n", pod.DeletionTimestamp.Format(describeTime))
	}
	w.Write(level0, "IP:\t%s\n", valueOrNone(pod.Status.PodIP))

	c := mainContainer(pod)
	describeProgram(w, pod, c)
	if c != nil {
		describeContainer(w, pod, c)
	}
	describeConditions(w, pod)
}

// describeProgram prints what the process runs: the boot record's last
// executable (the DAQ program) with its argument vector, and the steps
// before it; without a boot record (drunc's Python manager), the
// container's command as kubectl shows it.
func describeProgram(w *prefixWriter, pod *corev1.Pod, c *corev1.Container) {
	raw, hasRecord := pod.Annotations[session.BootRecordAnnotation]
	var rec *session.BootRecord
	var recErr error
	if hasRecord {
		rec, recErr = session.DecodeBootRecord(raw)
	}
	switch {
	case rec != nil:
		w.Write(level0, "Boot Record:\tyes (kubectl-drunc; restart recreates the process from it)\n")
	case recErr != nil:
		w.Write(level0, "Boot Record:\tunreadable: %v\n", recErr)
	default:
		w.Write(level0, "Boot Record:\tnone (booted by drunc's process manager; showing the container command)\n")
	}
	if rec != nil && len(rec.Process.Executables) > 0 {
		exes := rec.Process.Executables
		main := exes[len(exes)-1]
		w.Write(level0, "Executable:\t%s\n", main.Exec)
		writeList(w, "Arguments", main.Args)
		if main.Shell != "" {
			w.Write(level0, "Shell Arguments:\t%s\n", main.Shell)
		}
		if len(exes) > 1 {
			w.Write(level0, "Runs First:\n")
			for _, e := range exes[:len(exes)-1] {
				w.Write(level1, "%s\n", strings.TrimSpace(strings.Join(append([]string{e.Exec}, e.Args...), " ")+" "+e.Shell))
			}
		}
		if rec.Process.LogPath != "" {
			w.Write(level0, "Log File:\t%s\n", rec.Process.LogPath)
		}
		return
	}
	w.Write(level0, "Executable:\t%s\n", valueOrNone(process.Executable(pod)))
	if c != nil {
		writeList(w, "Command", c.Command)
		writeList(w, "Args", c.Args)
	}
}

// writeList prints each element on its own line (multi-line ones
// indented), as kubectl prints a container's command and args.
func writeList(w *prefixWriter, title string, items []string) {
	if len(items) == 0 {
		w.Write(level0, "%s:\t<none>\n", title)
		return
	}
	w.Write(level0, "%s:\n", title)
	for _, it := range items {
		for i, line := range strings.Split(it, "\n") {
			if i == 0 {
				w.Write(level1, "%s\n", line)
			} else {
				w.Write(level2, "%s\n", line)
			}
		}
	}
}

func describeConditions(w *prefixWriter, pod *corev1.Pod) {
	if len(pod.Status.Conditions) == 0 {
		return
	}
	w.Write(level0, "Conditions:\n")
	w.Write(level1, "Type\tStatus\tReason\n")
	w.Write(level1, "----\t------\t------\n")
	for _, c := range pod.Status.Conditions {
		w.Write(level1, "%v\t%v\t%s\n", c.Type, c.Status, c.Reason)
	}
}

// titleBool is kubectl describe's True/False.
func titleBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

func mainContainer(pod *corev1.Pod) *corev1.Container {
	if len(pod.Spec.Containers) == 0 {
		return nil
	}
	return &pod.Spec.Containers[0]
}

func containerStatus(pod *corev1.Pod, name string) *corev1.ContainerStatus {
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

func valueOrNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}
