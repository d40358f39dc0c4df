// Package sharedoks locates the real DUNE DAQ OKS files that some tests
// read: ../shared/oks next to the repository, laid out like one
// DUNEDAQ_DB_PATH entry, or the directory named by DRUNC_SHARED_OKS. They
// are public DUNE configuration data and are never copied into this
// repository; tests that need them skip without them. The project's own OKS
// example (examples/oks) needs none of them.
package sharedoks

import (
	"os"
	"path/filepath"
	"testing"
)

// ExampleConfigs is the DB-path-relative name of the file defining the
// example Sessions (local-1x1-config, local-2x3-config, ...).
const ExampleConfigs = "config/daqsystemtest/example-configs.data.xml"

// EnvDir names the environment variable that overrides ../shared/oks. Set
// to a directory without DUNE's files (or to ""), it hides them, so the
// suite can be run as on a fresh clone with nothing next to it.
const EnvDir = "DRUNC_SHARED_OKS"

// Dir returns the DB path root of the DUNE files, or skips the test with a
// message saying where they were expected.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := Location()
	if err != nil {
		tb.Skipf("DUNE OKS files not found: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ExampleConfigs)); err != nil {
		tb.Skipf("DUNE OKS files not found: %s is absent (put a DUNE DAQ database, e.g. daqsystemtest + confmodel + appmodel, at ../shared/oks next to the repository, or name it with %s)", filepath.Join(dir, ExampleConfigs), EnvDir)
	}
	return dir
}

// Location is where the DUNE files are expected: $DRUNC_SHARED_OKS when
// set, else ../shared/oks next to the repository.
func Location() (string, error) {
	if dir, ok := os.LookupEnv(EnvDir); ok {
		return dir, nil
	}
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "..", "shared", "oks"), nil
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

// ProjectExample is the project's own OKS example, examples/oks/demo.data.xml,
// whose schema is next to it: it needs no DUNE files.
func ProjectExample(tb testing.TB) string {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatalf("repository root: %v", err)
	}
	return filepath.Join(root, "examples", "oks", "demo.data.xml")
}
