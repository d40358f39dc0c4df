package baseline

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Common checks that every side's VERB understands each flag of needed
// (the benchmark fails otherwise, naming the side and the flag), and
// returns the optional flags (each the flag, then its values, e.g. {"-o",
// "name"}) that every side understands: an older binary may lack a newer
// flag, and both sides get the same arguments. What is left out is
// printed. A side understands a flag its `VERB --help` lists.
func Common(b testing.TB, sides []Side, verb string, needed []string, optional ...[]string) []string {
	b.Helper()
	for _, f := range needed {
		for _, s := range sides {
			if !understands(b, s.Bin, verb, f) {
				b.Fatalf("the %s binary's %s does not understand %s, which this benchmark needs (%s)", s.Name, verb, f, s.Bin)
			}
		}
	}
	var out []string
	for _, f := range optional {
		ok := true
		for _, s := range sides {
			if !understands(b, s.Bin, verb, f[0]) {
				ok = false
				progress("%s %s: left out on both sides, the %s binary does not understand it", verb, strings.Join(f, " "), s.Name)
			}
		}
		if ok {
			out = append(out, f...)
		}
	}
	return out
}

var helpCache sync.Map // bin+" "+verb → map[string]bool

// A flag line of cobra's help: "  -o, --output string   ..." or
// "      --no-probe   ...".
var flagLine = regexp.MustCompile(`(?m)^\s+(?:(-[A-Za-z0-9]), )?(--[A-Za-z0-9][-A-Za-z0-9]*)`)

func understands(b testing.TB, bin, verb, flag string) bool {
	b.Helper()
	name, _, _ := strings.Cut(flag, "=")
	key := bin + " " + verb
	known, ok := helpCache.Load(key)
	if !ok {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		help, err := exec.CommandContext(ctx, bin, verb, "--help").Output()
		if err != nil {
			b.Fatalf("%s %s --help: %v", bin, verb, err)
		}
		known, _ = helpCache.LoadOrStore(key, helpFlags(string(help)))
	}
	return known.(map[string]bool)[name]
}

// helpFlags is the flags a cobra help text lists, long and short.
func helpFlags(help string) map[string]bool {
	flags := map[string]bool{}
	for _, m := range flagLine.FindAllStringSubmatch(help, -1) {
		flags[m[1]], flags[m[2]] = true, true
	}
	delete(flags, "")
	return flags
}
