package logtail

import (
	"regexp"
	"testing"
)

// --grep, --include and --exclude are ANDed; includes are ORed among
// themselves, excludes drop on any match.
func TestKeep(t *testing.T) {
	res := func(exprs ...string) []*regexp.Regexp {
		var out []*regexp.Regexp
		for _, e := range exprs {
			out = append(out, regexp.MustCompile(e))
		}
		return out
	}
	for _, c := range []struct {
		f    formatter
		text string
		want bool
	}{
		{formatter{}, "anything", true},
		{formatter{include: res("ERROR", "WARN")}, "a WARN line", true},
		{formatter{include: res("ERROR", "WARN")}, "an INFO line", false},
		{formatter{exclude: res("DEBUG", "^trace")}, "trace: x", false},
		{formatter{exclude: res("DEBUG")}, "INFO x", true},
		{formatter{grep: "run", include: res("ERROR")}, "ERROR in run 3", true},
		{formatter{grep: "run", include: res("ERROR")}, "ERROR at boot", false},
		{formatter{include: res("ERROR"), exclude: res("expected")}, "ERROR (expected)", false},
	} {
		if got := c.f.keep(Line{Text: c.text}); got != c.want {
			t.Errorf("%+v keep(%q) = %v, want %v", c.f, c.text, got, c.want)
		}
	}
}

// -o json: one object per line, whatever --prefix and --timestamps say.
func TestFormatJSON(t *testing.T) {
	f := formatter{json: true, prefix: true, timestamps: true, color: true}
	l := ParseLine(`2026-12-01T10:00:00.123456789Z say "hi"` + "\n")
	want := `{"session":"run42","process":"ru-01","time":"2026-12-01T10:00:00.123456789Z","text":"say \"hi\""}` + "\n"
	if got := f.format("run42/ru-01", l); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := f.format("run42/ru-01", ParseLine("no stamp")); got != `{"session":"run42","process":"ru-01","text":"no stamp"}`+"\n" {
		t.Errorf("without a timestamp: %q", got)
	}
}
