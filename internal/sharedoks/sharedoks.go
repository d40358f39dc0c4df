// Package sharedoks locates the real DUNE DAQ OKS files that tests read:
// ../shared/oks next to the repository, laid out like one DUNEDAQ_DB_PATH
// entry. They are public DUNE configuration data and are never copied into
// this repository.
package sharedoks

import (
	"os"
	"path/filepath"
	"testing"
)

// ExampleConfigs is the DB-path-relative name of the file defining the
// example Sessions (local-1x1-config, local-2x3-config, ...).
const ExampleConfigs = "config/daqsystemtest/example-configs.data.xml"

// Dir returns the DB path root of the DUNE files, or skips the test with a
// message saying where they were expected.
func Dir(tb testing.TB) string {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Skipf("DUNE OKS files not found: %v", err)
	}
	dir := filepath.Join(root, "..", "shared", "oks")
	if _, err := os.Stat(filepath.Join(dir, ExampleConfigs)); err != nil {
		tb.Skipf("DUNE OKS files not found: %s is absent (put a DUNE DAQ database, e.g. daqsystemtest + confmodel + appmodel, at ../shared/oks next to the repository)", filepath.Join(dir, ExampleConfigs))
	}
	return dir
}

// RepoRoot is the directory holding go.mod, found upwards from the
// working directory (a test runs in its package directory).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
