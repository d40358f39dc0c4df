package e2eproc

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// BootProc is one process of a test boot file: its executable runs with
// Args, or with Shell when Args is nil.
type BootProc struct {
	Name, Host, TreeID, Exec string
	Args                     []string
	Shell                    string
	// Env is the process's environment (written in key order).
	Env map[string]string
}

// ConnectionServer is DUNE's local connection server on host, serving HTTP
// on NodePort port (tree id 1).
func ConnectionServer(host string, port int) BootProc {
	return BootProc{Name: "local-connection-server", Host: host, TreeID: "1", Exec: "gunicorn",
		Shell: fmt.Sprintf("-b 0.0.0.0:%d connection-service.connection-flask:app", port)}
}

// RootController is the root controller on host (tree id 0), run with args.
func RootController(host string, args ...string) BootProc {
	return BootProc{Name: "root-controller", Host: host, TreeID: "0", Exec: "drunc-controller", Args: args}
}

// App is a daq_application run with -n <name> and then extra.
func App(name, host, treeID string, extra ...string) BootProc {
	return BootProc{Name: name, Host: host, TreeID: treeID, Exec: "daq_application", Args: append([]string{"-n", name}, extra...)}
}

// BootFileText is the boot file of session name with these processes.
func BootFileText(name string, procs ...BootProc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "apiVersion: drunc.daq/v1alpha1\nkind: BootFile\nmetadata:\n  name: %s\nspec:\n  processes:\n", name)
	for _, p := range procs {
		fmt.Fprintf(&b, "  - name: %s\n    host: %s\n    treeId: %q\n    executables:\n    - exec: %s\n", p.Name, p.Host, p.TreeID, p.Exec)
		if p.Args == nil {
			fmt.Fprintf(&b, "      shell: %s\n", p.Shell)
		} else {
			quoted := make([]string, len(p.Args))
			for i, a := range p.Args {
				quoted[i] = fmt.Sprintf("%q", a)
			}
			fmt.Fprintf(&b, "      args: [%s]\n", strings.Join(quoted, ", "))
		}
		if len(p.Env) > 0 {
			b.WriteString("    env:\n")
			for _, k := range slices.Sorted(maps.Keys(p.Env)) {
				fmt.Fprintf(&b, "      %s: %q\n", k, p.Env[k])
			}
		}
	}
	return b.String()
}

// WriteBootFile writes the boot file of session name, as <name>.yaml in a
// directory removed with the test, and returns its path.
func WriteBootFile(t testing.TB, name string, procs ...BootProc) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(path, []byte(BootFileText(name, procs...)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
