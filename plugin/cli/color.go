package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// ColorMode is the value of --color.
type ColorMode string

// The --color values, as in kubectl, git and ls.
const (
	ColorAuto   ColorMode = "auto"
	ColorAlways ColorMode = "always"
	ColorNever  ColorMode = "never"
)

// colorMode is process-wide, like the terminal it describes: printers deep
// below a verb ask ColorEnabled without a Factory at hand.
var colorMode = ColorAuto

func (m *ColorMode) String() string { return string(*m) }
func (m *ColorMode) Type() string   { return "string" }
func (m *ColorMode) Set(v string) error {
	switch ColorMode(v) {
	case ColorAuto, ColorAlways, ColorNever:
		*m = ColorMode(v)
		return nil
	}
	return fmt.Errorf("must be auto, always or never")
}

// AddColorFlag binds --color (a persistent flag of the root command).
func AddColorFlag(fs *pflag.FlagSet) {
	colorMode = ColorAuto
	fs.Var(&colorMode, "color", "Colorize output: auto (only on a terminal, unless NO_COLOR is set), always or never")
}

// SetColorMode overrides --color (tests).
func SetColorMode(m ColorMode) { colorMode = m }

// ColorEnabled tells whether to write colour escapes to w: --color=always or
// never decide; auto means w is a terminal, NO_COLOR (https://no-color.org)
// is unset or empty, and TERM is not "dumb".
func ColorEnabled(w io.Writer) bool {
	switch colorMode {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
