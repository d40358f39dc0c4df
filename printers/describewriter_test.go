package printers

import (
	"bytes"
	"testing"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubectl/pkg/describe"
)

// The port writes what kubectl describe writes (checked against kubectl's
// own package, which only this test imports).
func TestDescribeEventsMatchesKubectl(t *testing.T) {
	ago := func(d time.Duration) time.Time { return time.Now().Add(-d) }
	events := []corev1.Event{
		{Type: "Warning", Reason: "FailedScheduling", Message: "  0/3 nodes are available\n", Count: 4,
			FirstTimestamp: metav1.NewTime(ago(10 * time.Minute)), LastTimestamp: metav1.NewTime(ago(2 * time.Minute)),
			Source: corev1.EventSource{Component: "default-scheduler"}},
		{Type: "Normal", Reason: "Pulled", Message: "pulled \x1b[31mred\x1b[0m",
			EventTime:           metav1.NewMicroTime(ago(time.Hour)),
			Series:              &corev1.EventSeries{Count: 7, LastObservedTime: metav1.NewMicroTime(ago(30 * time.Second))},
			ReportingController: "kubelet", InvolvedObject: corev1.ObjectReference{FieldPath: "spec.containers{app}"}},
		{Type: "Normal", Reason: "Scheduled", Message: "assigned", LastTimestamp: metav1.NewTime(ago(3 * time.Hour))},
		{Type: "Normal", Reason: "NoTime"},
	}
	run := func(write func(out *tabwriter.Writer)) string {
		var b bytes.Buffer
		tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
		write(tw)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, evs := range [][]corev1.Event{nil, events} {
		got := run(func(tw *tabwriter.Writer) {
			w := newPrefixWriter(tw)
			w.Write(level0, "Name:\t%s\n", "a\x07b")
			w.Write(level2, "Deep:\t%d\n", 3)
			describeEvents(append([]corev1.Event(nil), evs...), w)
		})
		want := run(func(tw *tabwriter.Writer) {
			w := describe.NewPrefixWriter(tw)
			w.Write(describe.LEVEL_0, "Name:\t%s\n", "a\x07b")
			w.Write(describe.LEVEL_2, "Deep:\t%d\n", 3)
			describe.DescribeEvents(&corev1.EventList{Items: append([]corev1.Event(nil), evs...)}, w)
		})
		if got != want {
			t.Errorf("got:\n%s\nwant:\n%s", got, want)
		}
	}
}
