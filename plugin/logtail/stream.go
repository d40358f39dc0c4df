package logtail

import (
	"bufio"
	"context"
	"errors"
	"io"
	"math"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// procName is how a process is named in prefixes and notes.
func procName(pod *corev1.Pod) string { return pod.Namespace + "/" + pod.Name }

// container is the process's container: the first (drunc pods have one).
func container(pod *corev1.Pod) string {
	if len(pod.Spec.Containers) == 0 {
		return ""
	}
	return pod.Spec.Containers[0].Name
}

// mainStatus is the status of that container, or nil.
func mainStatus(pod *corev1.Pod) *corev1.ContainerStatus {
	name := container(pod)
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// started tells whether the container ever ran, so that it has a log.
func started(pod *corev1.Pod) bool {
	s := mainStatus(pod)
	return s != nil && (s.State.Running != nil || s.State.Terminated != nil || s.LastTerminationState.Terminated != nil)
}

// terminated tells whether the container has exited (its log is complete).
func terminated(pod *corev1.Pod) bool {
	s := mainStatus(pod)
	return s != nil && s.State.Terminated != nil
}

// options are the first request's options for a pod: the last Tail lines,
// or its whole log when fromStart (a pod that appeared while following).
// Timestamps are always requested: they order merged lines and let a
// dropped stream resume; --timestamps only decides whether they print.
func (c *Config) options(pod *corev1.Pod, fromStart bool) corev1.PodLogOptions {
	o := corev1.PodLogOptions{Container: container(pod), Follow: c.Follow, Timestamps: true}
	if !fromStart && c.Tail >= 0 {
		tail := c.Tail
		o.TailLines = &tail
	}
	if c.Since > 0 {
		s := int64(math.Ceil(c.Since.Seconds()))
		o.SinceSeconds = &s
	}
	if !c.SinceTime.IsZero() {
		o.SinceTime = &metav1.Time{Time: c.SinceTime}
	}
	return o
}

// read streams a pod's log and calls line for each complete line, until
// the stream ends (nil), fails or ctx ends. A last line without newline is
// passed on at a clean end (the process wrote it) but dropped when the
// stream broke (a resumed stream sends it again, whole).
func (e *engine) read(ctx context.Context, pod *corev1.Pod, opts corev1.PodLogOptions, line func(Line)) error {
	rc, err := e.cfg.Client.CoreV1().Pods(pod.Namespace).GetLogs(pod.Name, &opts).Stream(ctx)
	if err != nil {
		return err
	}
	defer rc.Close()
	// Small: a followed session holds one per process (longer lines
	// still come whole, ReadString grows its result).
	r := bufio.NewReaderSize(rc, 4<<10)
	for {
		s, err := r.ReadString('\n')
		if err == nil || (errors.Is(err, io.EOF) && s != "") {
			line(ParseLine(s))
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// trimStatus makes an API error one line for a note.
func trimStatus(err error) string {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}
