package logtail

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		raw  string
		want Line
	}{
		{"2026-05-01T10:00:00.123456789Z hello world\n", Line{Stamp: "2026-05-01T10:00:00.123456789Z", Text: "hello world"}},
		{"2026-05-01T10:00:00Z \n", Line{Stamp: "2026-05-01T10:00:00Z", Text: ""}},
		{"2026-05-01T10:00:00Z", Line{Stamp: "2026-05-01T10:00:00Z", Text: ""}},
		{"no timestamp here\n", Line{Text: "no timestamp here"}},
		{"2026-05-01T10:00:00Z  two spaces\r\n", Line{Stamp: "2026-05-01T10:00:00Z", Text: " two spaces"}},
	}
	for _, c := range cases {
		got := ParseLine(c.raw)
		if got.Stamp != c.want.Stamp || got.Text != c.want.Text {
			t.Errorf("ParseLine(%q) = %+v, want %+v", c.raw, got, c.want)
		}
		if (got.Stamp != "") == got.Time.IsZero() {
			t.Errorf("ParseLine(%q): time %v does not match stamp %q", c.raw, got.Time, got.Stamp)
		}
	}
}

func at(sec, nsec int, text string) Line {
	return Line{Time: time.Date(2026, 5, 1, 10, 0, sec, nsec, time.UTC), Text: text}
}

// The resumed stream repeats the last second (sinceTime is inclusive and
// whole seconds): lines before the last printed one are skipped by time,
// those at its timestamp by content, as often as each was printed; the
// first new line ends the skipping.
func TestPositionResumeSkipsExactlyWhatWasPrinted(t *testing.T) {
	var p position
	first := []Line{at(1, 5, "a"), at(2, 100, "b"), at(2, 200, "dup"), at(2, 200, "dup"), at(2, 200, "c")}
	for _, l := range first[:4] { // the stream dropped before "c"
		if !p.accept(l) {
			t.Fatalf("first stream: %+v rejected", l)
		}
	}
	opts := p.resume(corev1.PodLogOptions{Container: "x", Follow: true, TailLines: new(int64(100))})
	if opts.TailLines != nil || opts.SinceTime == nil || !opts.SinceTime.Time.Equal(first[3].Time) || !opts.Timestamps || opts.Container != "x" {
		t.Fatalf("resume options = %+v, want sinceTime = last printed, no tail", opts)
	}
	// The server sends everything from 10:00:02 (second precision).
	replay := []Line{at(2, 100, "b"), at(2, 200, "dup"), at(2, 200, "dup"), at(2, 200, "c"), at(3, 0, "d"), at(3, 0, "d")}
	var got []string
	for _, l := range replay {
		if p.accept(l) {
			got = append(got, l.Text)
		}
	}
	if want := "c d d"; join(got) != want {
		t.Errorf("resumed stream printed %q, want %q", join(got), want)
	}
	// A second drop right after: "d" twice is the boundary now.
	p.resume(corev1.PodLogOptions{})
	got = nil
	for _, l := range []Line{at(3, 0, "d"), at(3, 0, "d"), at(3, 0, "d"), at(4, 0, "e")} {
		if p.accept(l) {
			got = append(got, l.Text)
		}
	}
	if want := "d e"; join(got) != want {
		t.Errorf("second resume printed %q, want %q (a third identical line is new)", join(got), want)
	}
}

func TestPositionResumeBeforeAnyLineKeepsOptions(t *testing.T) {
	var p position
	initial := corev1.PodLogOptions{Container: "x", TailLines: new(int64(7))}
	if got := p.resume(initial); got.TailLines == nil || *got.TailLines != 7 {
		t.Errorf("resume with nothing printed = %+v, want the initial options", got)
	}
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestFormat(t *testing.T) {
	l := Line{Stamp: "2026-05-01T10:00:00Z", Text: "ERROR in ERROR handler"}
	cases := []struct {
		f    formatter
		want string
	}{
		{formatter{}, "ERROR in ERROR handler\n"},
		{formatter{prefix: true}, "[s/ru-01] ERROR in ERROR handler\n"},
		{formatter{prefix: true, timestamps: true}, "[s/ru-01] 2026-05-01T10:00:00Z ERROR in ERROR handler\n"},
		{formatter{grep: "ERROR"}, "ERROR in ERROR handler\n"},
		{formatter{grep: "ERROR", color: true}, "\x1b[1;31mERROR\x1b[0m in \x1b[1;31mERROR\x1b[0m handler\n"},
		{formatter{prefix: true, color: true}, prefixColor("s/ru-01") + "[s/ru-01]\x1b[0m ERROR in ERROR handler\n"},
	}
	for _, c := range cases {
		if got := c.f.format("s/ru-01", l); got != c.want {
			t.Errorf("%+v: format = %q, want %q", c.f, got, c.want)
		}
	}
	f := formatter{grep: "ERROR"}
	if f.keep(Line{Text: "all fine"}) || !f.keep(l) {
		t.Error("--grep keeps the wrong lines")
	}
	if prefixColor("s/a") != prefixColor("s/a") {
		t.Error("a process's colour must be stable")
	}
}

func TestConfigValidate(t *testing.T) {
	c := Config{MaxRequests: 0}
	if err := c.validate(); err == nil {
		t.Error("a Config without client, cache and writers validated")
	}
	e := &TooManyStreamsError{Streams: 7, Max: 5}
	if want := "you are attempting to follow 7 log streams, but maximum allowed concurrency is 5, use --max-log-requests to increase the limit"; e.Error() != want {
		t.Errorf("TooManyStreamsError = %q", e.Error())
	}
}
