package ps

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestBootedAndPythonTogether: a session booted by `kubectl drunc boot`
// and a process added to it by hand with drunc's Python labels only are
// listed together, in tree order, both Running.
func TestBootedAndPythonTogether(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	hosts := testcluster.NodeNames("ps-boot", 1)
	tc.Nodes(t, hosts...)
	name := tc.UniqueName("ps-boot")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = tc.Client.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{})
	})
	var booted bool
	for attempt := 0; attempt < 3 && !booted; attempt++ {
		// The LCS takes a NodePort, cluster-wide: another test may hold it.
		file := filepath.Join(t.TempDir(), "boot.yaml")
		boot := fmt.Sprintf(`apiVersion: drunc.daq/v1alpha1
kind: BootFile
metadata:
  name: %[1]s
spec:
  processes:
  - name: local-connection-server
    host: %[2]s
    treeId: "1"
    executables:
    - exec: gunicorn
      shell: -b 0.0.0.0:%[3]d connection-service.connection-flask:app
  - name: root-controller
    host: %[2]s
    treeId: "0"
    executables:
    - exec: drunc-controller
      args: [-s, %[1]s]
  - name: ru-01
    host: %[2]s
    treeId: "0.0"
    executables:
    - exec: daq_application
      args: [-n, ru-01]
`, name, hosts[0], 30000+rand.IntN(2700))
		if err := os.WriteFile(file, []byte(boot), 0o644); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := tc.Plugin(t, "boot", "-f", file, "-n", name, "--no-probe", "--timeout=180s")
		switch {
		case code == 0:
			booted = true
		case strings.Contains(stderr, "provided port is already allocated"):
			continue
		default:
			t.Fatalf("boot failed (exit %d):\n%s", code, stderr)
		}
	}
	if !booted {
		t.Fatal("boot kept failing on taken NodePorts")
	}
	tc.WaitServiceAccount(t, name)
	createPod(t, tc, name, pythonPod("df-01", "0.1", hosts[0], "bob"))
	waitReady(t, tc, name, 4)

	out := ps(t, tc, "-n", name, "-o", "wide")
	var rows []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(l)
		rows = append(rows, strings.Join([]string{f[0], f[1], f[3], f[7]}, " ")) // name, role, status, tree id
	}
	want := []string{
		"root-controller root-controller Running 0",
		"df-01 application Running 0.1",
		"ru-01 application Running 0.0",
		"local-connection-server infrastructure-applications Running 1",
	}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("rows:\n got %q\nwant %q\n%s", rows, want, out)
	}
	if !strings.Contains(out, "  df-01") || !strings.Contains(out, "  ru-01") {
		t.Errorf("children of the root controller are not indented:\n%s", out)
	}
}
