package logtail

import (
	"encoding/json"
	"hash/fnv"
	"regexp"
	"strings"
)

// ANSI escapes: grep's match colour (bold red) and a palette for prefixes
// that stays readable on dark and light terminals.
const (
	ansiReset = "\x1b[0m"
	ansiMatch = "\x1b[1;31m"
)

var prefixPalette = []string{"\x1b[32m", "\x1b[33m", "\x1b[34m", "\x1b[35m", "\x1b[36m", "\x1b[92m", "\x1b[93m", "\x1b[94m", "\x1b[95m", "\x1b[96m"}

// Output formats of the lines.
const (
	// FormatRaw prints the text, with the prefix and timestamp as asked.
	FormatRaw = "raw"
	// FormatJSON prints one JSONLine object per line.
	FormatJSON = "json"
)

// JSONLine is a line in the json format: one object per line.
type JSONLine struct {
	Session string `json:"session"`
	Process string `json:"process"`
	// Time is the container runtime's RFC 3339 timestamp ("" when absent).
	Time string `json:"time,omitempty"`
	Text string `json:"text"`
}

// formatter turns a Line of a process into the text printed for it.
type formatter struct {
	prefix     bool
	timestamps bool
	grep       string
	include    []*regexp.Regexp
	exclude    []*regexp.Regexp
	json       bool
	color      bool
}

// keep tells whether the line passes --grep (a substring), --include (any
// of them matches, when given) and --exclude (none matches).
func (f *formatter) keep(l Line) bool {
	if f.grep != "" && !strings.Contains(l.Text, f.grep) {
		return false
	}
	if len(f.include) > 0 && !anyMatch(f.include, l.Text) {
		return false
	}
	return !anyMatch(f.exclude, l.Text)
}

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// format returns the whole printed line, newline included, so that it can
// be written in one call and never interleaves with another process's.
func (f *formatter) format(proc string, l Line) string {
	if f.json {
		return formatJSON(proc, l)
	}
	var b strings.Builder
	b.Grow(len(proc) + len(l.Stamp) + len(l.Text) + 8)
	if f.prefix {
		if f.color {
			b.WriteString(prefixColor(proc))
		}
		b.WriteString("[" + proc + "]")
		if f.color {
			b.WriteString(ansiReset)
		}
		b.WriteByte(' ')
	}
	if f.timestamps && l.Stamp != "" {
		b.WriteString(l.Stamp)
		b.WriteByte(' ')
	}
	if f.color && f.grep != "" {
		b.WriteString(strings.ReplaceAll(l.Text, f.grep, ansiMatch+f.grep+ansiReset))
	} else {
		b.WriteString(l.Text)
	}
	b.WriteByte('\n')
	return b.String()
}

// formatJSON is the json format of a line of proc (session/name).
func formatJSON(proc string, l Line) string {
	session, name, _ := strings.Cut(proc, "/")
	b, err := json.Marshal(JSONLine{Session: session, Process: name, Time: l.Stamp, Text: l.Text})
	if err != nil { // strings always marshal; keep the line anyway
		return l.Text + "\n"
	}
	return string(b) + "\n"
}

// prefixColor gives each process a stable colour, as stern does.
func prefixColor(proc string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(proc))
	return prefixPalette[h.Sum32()%uint32(len(prefixPalette))]
}
