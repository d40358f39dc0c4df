// Package baseline lets a benchmark measure an older build of the plugin in
// the same run as the one under test: -baseline names a kubectl-drunc
// binary built from another commit (make baseline REV=...), and every step
// that runs the plugin runs both, interleaved (current, baseline, current,
// baseline, ...), each on an identical fresh session. Comparing medians of
// one run keeps both sides under the same load, which two runs on a shared
// machine never are.
package baseline

import (
	"context"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

var path = flag.String("baseline", "", "a kubectl-drunc binary built from another commit (make baseline REV=...): each step that runs the plugin also runs it, interleaved, on an identical fresh session, and reports current / baseline")

// The names of the two sides in reports.
const (
	Current  = "current"
	Baseline = "baseline"
)

// Side is one binary measured.
type Side struct {
	Name string // Current or Baseline
	Bin  string
}

// Sides is the plugin under test, then the baseline when -baseline is
// given; it prints which build each is.
func Sides(b testing.TB) []Side {
	b.Helper()
	sides := []Side{{Name: Current, Bin: testcluster.PluginBinary(b)}}
	if *path != "" {
		bin, err := filepath.Abs(*path)
		if err == nil {
			_, err = exec.LookPath(bin)
		}
		if err != nil {
			b.Fatalf("-baseline %s: %v (build one with make baseline REV=<git revision>)", *path, err)
		}
		sides = append(sides, Side{Name: Baseline, Bin: bin})
	}
	for _, s := range sides {
		progress("%s: %s (%s)", s.Name, s.Bin, version(s.Bin))
	}
	return sides
}

// Enabled tells whether -baseline was given.
func Enabled() bool { return *path != "" }

// version is the first line of `BIN version`, which needs no cluster.
func version(bin string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil {
		return "version unknown: " + err.Error()
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// Env is the environment a side runs in besides this process's: the
// cluster's kubeconfig, as testcluster runs the plugin.
func Env(tc *testcluster.Cluster) []string { return []string{"KUBECONFIG=" + tc.Kubeconfig} }

func progress(format string, a ...any) {
	fmt.Printf("%s %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, a...))
}
