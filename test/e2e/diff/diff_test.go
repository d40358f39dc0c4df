// Package diff proves `kubectl drunc diff` against the local control plane:
// its exit codes (0 same, 1 differs, 2 error) and what it reports, with and
// without the session record.
package diff

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

func TestDiffExitCodesAndContent(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("diff")
	t.Cleanup(func() {
		bg := metav1.DeletePropagationBackground
		_ = tc.Client.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{PropagationPolicy: &bg})
	})
	file := writeBootFile(t, ns, host, "")
	if _, errOut, code := tc.Plugin(t, "boot", "-f", file, "--no-probe"); code != 0 {
		t.Fatalf("boot: exit %d\n%s", code, errOut)
	}

	out := diff(t, tc, 0, "-n", ns, "-f", file)
	want := "session " + ns + ": 0 missing, 0 extra, 0 changed, 0 died, 4 unchanged"
	if !strings.Contains(out, want) {
		t.Errorf("diff of the booted session lacks %q", want)
	}

	deletePod(t, tc, ns, "app-000")
	out = diff(t, tc, 1, "-n", ns, "-f", file)
	if !strings.Contains(out, "missing  app-000") || !strings.Contains(out, "its pod was deleted outside kubectl drunc") {
		t.Errorf("diff does not report app-000 lost")
	}

	changed := writeBootFile(t, ns, host, "--verbose")
	out = diff(t, tc, 1, "-n", ns, "-f", changed, "-o", "yaml")
	for _, w := range []string{"name: app-001", "object: pod", "--verbose"} {
		if !strings.Contains(out, w) {
			t.Errorf("diff -o yaml of a changed spec lacks %q", w)
		}
	}

	errOut := diffErr(t, tc, 2, "-n", ns, "-f", filepath.Join(t.TempDir(), "absent.yaml"))
	if !strings.Contains(errOut, "absent.yaml") {
		t.Errorf("the error does not name the missing file")
	}

	// Without a record (as drunc's Python manager leaves a session), the
	// pods are compared as they are.
	err := tc.Client.CoreV1().ConfigMaps(ns).DeleteCollection(context.Background(), metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: sessionrecord.RecordLabel})
	if err != nil {
		t.Fatal(err)
	}
	out = diff(t, tc, 1, "-n", ns, "-f", file)
	if !strings.Contains(out, "1 missing, 0 extra, 0 changed, 0 died, 3 unchanged") || !strings.Contains(out, "not created, boot creates it") {
		t.Errorf("diff without a record does not compare the pods")
	}
}

func diff(t *testing.T, tc *testcluster.Cluster, wantCode int, args ...string) string {
	t.Helper()
	out, errOut, code := tc.Plugin(t, append([]string{"diff"}, args...)...)
	t.Logf("kubectl drunc diff %s → exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	if code != wantCode {
		t.Fatalf("exit %d, want %d", code, wantCode)
	}
	return out
}

func diffErr(t *testing.T, tc *testcluster.Cluster, wantCode int, args ...string) string {
	t.Helper()
	_, errOut, code := tc.Plugin(t, append([]string{"diff"}, args...)...)
	if code != wantCode {
		t.Fatalf("kubectl drunc diff %s: exit %d, want %d\n%s", strings.Join(args, " "), code, wantCode, errOut)
	}
	return errOut
}

// writeBootFile writes a session of a connection server, a root controller
// and two applications; extra is added to app-001's arguments.
func writeBootFile(t *testing.T, name, host, extra string) string {
	t.Helper()
	args := "[-n, app-001]"
	if extra != "" {
		args = "[-n, app-001, " + extra + "]"
	}
	text := fmt.Sprintf(`apiVersion: drunc.daq/v1alpha1
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
      args: [-s, %[1]s, -n, root-controller]
  - name: app-000
    host: %[2]s
    treeId: "0.0"
    executables:
    - exec: daq_application
      args: [-n, app-000]
  - name: app-001
    host: %[2]s
    treeId: "0.1"
    executables:
    - exec: daq_application
      args: %[4]s
`, name, host, 30000+rand.IntN(2700), args)
	path := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func deletePod(t *testing.T, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	zero := int64(0)
	if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := tc.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("pod %s/%s not gone within a minute", ns, name)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
