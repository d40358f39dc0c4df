package logtail

import (
	"strings"
	"time"
)

// Line is one log line of a process, as the kubelet sends it with
// timestamps=true: "<RFC 3339 nano timestamp> <text>".
type Line struct {
	// Time is the container runtime's timestamp (zero when absent).
	Time time.Time
	// Stamp is the timestamp as sent, printed by --timestamps.
	Stamp string
	// Text is the line without timestamp and newline.
	Text string
}

// ParseLine splits a line read from a timestamps=true stream (with or
// without its newline). A line without a parsable timestamp is kept whole
// as Text, so nothing the process wrote is ever dropped.
func ParseLine(raw string) Line {
	raw = strings.TrimSuffix(raw, "\n")
	raw = strings.TrimSuffix(raw, "\r")
	stamp, text, found := strings.Cut(raw, " ")
	if !found {
		// An empty line still carries its timestamp.
		stamp, text = raw, ""
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return Line{Text: raw}
	}
	return Line{Time: t, Stamp: stamp, Text: text}
}
