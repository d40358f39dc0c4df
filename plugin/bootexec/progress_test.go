package bootexec

import (
	"bytes"
	"strings"
	"testing"
)

func TestProgressPlainPrintsOnlyFinishedLines(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, false)
	c := p.counter("applications", 3)
	c.add(true)
	c.add(false)
	p.done("applications: created 1/3")
	if got := b.String(); got != "applications: created 1/3\n" {
		t.Fatalf("plain progress wrote %q", got)
	}
}

func TestProgressLiveRewritesOneLine(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true)
	c := p.counter("applications", 2)
	c.add(true)
	p.done("applications: created 2/2")
	got := b.String()
	if !strings.HasPrefix(got, "\r\033[Kapplications: created 0/2") || !strings.HasSuffix(got, "\r\033[Kapplications: created 2/2\n") {
		t.Fatalf("live progress wrote %q", got)
	}
	if strings.Count(got, "\n") != 1 {
		t.Fatalf("live progress used more than one line: %q", got)
	}
}
