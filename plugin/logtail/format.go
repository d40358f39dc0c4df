package logtail

import (
	"hash/fnv"
	"strings"
)

// ANSI escapes: grep's match colour (bold red) and a palette for prefixes
// that stays readable on dark and light terminals.
const (
	ansiReset = "\x1b[0m"
	ansiMatch = "\x1b[1;31m"
)

var prefixPalette = []string{"\x1b[32m", "\x1b[33m", "\x1b[34m", "\x1b[35m", "\x1b[36m", "\x1b[92m", "\x1b[93m", "\x1b[94m", "\x1b[95m", "\x1b[96m"}

// formatter turns a Line of a process into the text printed for it.
type formatter struct {
	prefix     bool
	timestamps bool
	grep       string
	color      bool
}

// keep tells whether the line passes --grep.
func (f *formatter) keep(l Line) bool {
	return f.grep == "" || strings.Contains(l.Text, f.grep)
}

// format returns the whole printed line, newline included, so that it can
// be written in one call and never interleaves with another process's.
func (f *formatter) format(proc string, l Line) string {
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

// prefixColor gives each process a stable colour, as stern does.
func prefixColor(proc string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(proc))
	return prefixPalette[h.Sum32()%uint32(len(prefixPalette))]
}
