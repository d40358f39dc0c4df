package oks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestOKSFileNameTheProcessesFind: every process gets -d oksconflibs:FILE
// with --oks as given and looks it up in its DUNEDAQ_DB_PATH. Given as a
// path relative to here, config processes and boot warn and give the name
// under the DB path; given by that name, they say nothing.
func TestOKSFileNameTheProcessesFind(t *testing.T) {
	dir := sharedoks.Dir(t)
	tc := testcluster.Get(t)
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	here, err := filepath.Rel(cwd, filepath.Join(dir, sharedoks.ExampleConfigs))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--db-path", dir, "--session-id", "local-1x1-config", "--localhost", "np02-srv-001"}
	want := "Warning: processes get -d oksconflibs:" + here + " and look it up in their DUNEDAQ_DB_PATH, where it is not: give --oks " + sharedoks.ExampleConfigs
	for _, verb := range [][]string{{"config", "processes"}, {"boot", "--dry-run=client", "-o", "name"}} {
		_, errOut, code := tc.Plugin(t, append(append(verb, "--oks", here), args...)...)
		if code != 0 || !strings.Contains(errOut, want) {
			t.Errorf("%s --oks %s: exit %d, stderr %q; want 0 and %q", strings.Join(verb, " "), here, code, errOut, want)
		}
		_, errOut, code = tc.Plugin(t, append(append(verb, "--oks", sharedoks.ExampleConfigs), args...)...)
		if code != 0 || strings.Contains(errOut, "Warning") {
			t.Errorf("%s --oks %s: exit %d, stderr %q; want 0 and no warning", strings.Join(verb, " "), sharedoks.ExampleConfigs, code, errOut)
		}
	}
}
