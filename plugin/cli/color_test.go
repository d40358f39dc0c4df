package cli

import (
	"bytes"
	"os"
	"testing"

	"github.com/spf13/pflag"
)

func TestColorEnabled(t *testing.T) {
	defer SetColorMode(ColorAuto)
	var buf bytes.Buffer
	t.Setenv("NO_COLOR", "")

	SetColorMode(ColorAuto)
	if ColorEnabled(&buf) {
		t.Error("auto: a buffer is no terminal, yet colour is on")
	}
	SetColorMode(ColorAlways)
	t.Setenv("NO_COLOR", "1")
	if !ColorEnabled(&buf) {
		t.Error("--color=always must win over NO_COLOR")
	}
	SetColorMode(ColorNever)
	if ColorEnabled(os.Stdout) {
		t.Error("--color=never, yet colour is on")
	}
}

func TestColorFlagRejectsUnknownValues(t *testing.T) {
	defer SetColorMode(ColorAuto)
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	AddColorFlag(fs)
	if err := fs.Parse([]string{"--color=sometimes"}); err == nil {
		t.Error("--color=sometimes accepted")
	}
	if err := fs.Parse([]string{"--color=never"}); err != nil || colorMode != ColorNever {
		t.Errorf("--color=never: err %v, mode %q", err, colorMode)
	}
}
