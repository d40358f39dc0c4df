// This file is a port of k8s.io/kubectl v0.37.2 pkg/describe/describe.go's
// PrefixWriter and DescribeEvents, with pkg/util/event's SortableEvents
// (Copyright 2014 The Kubernetes Authors, Apache License 2.0): the few
// pieces of kubectl describe's layout DescribeProcess uses. Importing that
// package linked kubectl's describers of every kind, and its scheme's
// initialisation, into every command. Keep the output identical to it.

package printers

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
	"k8s.io/cli-runtime/pkg/printers"
)

// The indentation levels of a prefixWriter: two spaces each.
const (
	level0 = iota
	level1
	level2
)

// prefixWriter is kubectl describe's PrefixWriter: text at an indentation
// level, with terminal control characters escaped.
type prefixWriter struct {
	out io.Writer
}

func newPrefixWriter(out io.Writer) *prefixWriter { return &prefixWriter{out: out} }

// Write writes the formatted text at the indentation level.
func (pw *prefixWriter) Write(level int, format string, a ...any) {
	output := fmt.Sprintf(strings.Repeat("  ", level)+format, a...)
	_ = printers.WriteEscaped(pw.out, output)
}

// Flush flushes the underlying writer if it has a Flush method without
// result, as kubectl's does (so not a text/tabwriter: the events' table
// stays aligned with what precedes it).
func (pw *prefixWriter) Flush() {
	if f, ok := pw.out.(interface{ Flush() }); ok {
		f.Flush()
	}
}

// describeEvents writes the events oldest first (by last timestamp) in
// kubectl describe's Events table, ages relative to now.
func describeEvents(events []corev1.Event, w *prefixWriter) {
	if len(events) == 0 {
		w.Write(level0, "Events:\t<none>\n")
		return
	}
	w.Flush()
	sort.Sort(sortableEvents(events))
	w.Write(level0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	w.Write(level1, "----\t------\t----\t----\t-------\n")
	for _, e := range events {
		var interval string
		firstTimestampSince := microTimestampSince(e.EventTime)
		if e.EventTime.IsZero() {
			firstTimestampSince = timestampSince(e.FirstTimestamp)
		}
		switch {
		case e.Series != nil:
			interval = fmt.Sprintf("%s (x%d over %s)", microTimestampSince(e.Series.LastObservedTime), e.Series.Count, firstTimestampSince)
		case e.Count > 1:
			interval = fmt.Sprintf("%s (x%d over %s)", timestampSince(e.LastTimestamp), e.Count, firstTimestampSince)
		default:
			interval = firstTimestampSince
		}
		source := e.Source.Component
		if source == "" {
			source = e.ReportingController
		}
		message := strings.TrimSpace(e.Message)
		if len(e.InvolvedObject.FieldPath) > 0 {
			message = fmt.Sprintf("%s: %s", e.InvolvedObject.FieldPath, message)
		}
		w.Write(level1, "%v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, interval, source, message)
	}
}

// sortableEvents orders events by their last timestamp.
type sortableEvents []corev1.Event

func (list sortableEvents) Len() int      { return len(list) }
func (list sortableEvents) Swap(i, j int) { list[i], list[j] = list[j], list[i] }
func (list sortableEvents) Less(i, j int) bool {
	return list[i].LastTimestamp.Time.Before(list[j].LastTimestamp.Time)
}

func microTimestampSince(t metav1.MicroTime) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(time.Since(t.Time))
}

func timestampSince(t metav1.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(time.Since(t.Time))
}
