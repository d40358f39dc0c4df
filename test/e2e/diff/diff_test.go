// Package diff proves `kubectl drunc diff` against the local control plane:
// its exit codes (0 same, 1 differs, 2 error) and what it reports, with and
// without the session record.
package diff

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

func TestDiffExitCodesAndContent(t *testing.T) {
	tc := testcluster.Get(t)
	host := tc.UniqueName("np02-srv")
	tc.Nodes(t, host)
	ns := tc.UniqueName("diff")
	var port int
	var file string
	e2eproc.BootFreshPorts(t, tc, ns, func() string {
		port = tc.NodePort(t)
		file = writeBootFile(t, ns, host, port)
		return file
	})

	out := diff(t, tc, 0, "-n", ns, "-f", file)
	want := "session " + ns + ": 0 missing, 0 extra, 0 changed, 0 died, 4 unchanged"
	if !strings.Contains(out, want) {
		t.Errorf("diff of the booted session lacks %q", want)
	}
	// Without -n, the session is the one the file names, as for boot.
	if out := diff(t, tc, 0, "-f", file); !strings.Contains(out, want) {
		t.Errorf("diff -f without -n lacks %q", want)
	}

	// The same configuration under another name is another source: boot
	// would refuse it, and diff says so (still comparing).
	other := filepath.Join(t.TempDir(), "other.yaml")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, text, 0o600); err != nil {
		t.Fatal(err)
	}
	if errOut := diffErr(t, tc, 0, "-n", ns, "-f", other); !strings.Contains(errOut, "was booted from -f ") || !strings.Contains(errOut, "boot would refuse this configuration") {
		t.Errorf("diff against another source does not say that boot would refuse it:\n%s", errOut)
	}
	if _, errOut, _ := tc.Plugin(t, "diff", "-n", ns, "-f", file); strings.Contains(errOut, "Warning") {
		t.Errorf("diff against the session's own source warns:\n%s", errOut)
	}

	e2eproc.DeleteGone(t, tc, ns, "app-000")
	out = diff(t, tc, 1, "-n", ns, "-f", file)
	if !strings.Contains(out, "missing  app-000") || !strings.Contains(out, "its pod was deleted outside kubectl drunc") {
		t.Errorf("diff does not report app-000 lost")
	}

	changed := writeBootFile(t, ns, host, port, "--verbose")
	out = diff(t, tc, 1, "-n", ns, "-f", changed, "-o", "yaml")
	for _, w := range []string{"apiVersion: drunc.daq/v1", "kind: SessionDiff", "name: app-001", "object: pod", "--verbose"} {
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
	err = tc.Client.CoreV1().ConfigMaps(ns).DeleteCollection(context.Background(), metav1.DeleteOptions{}, metav1.ListOptions{LabelSelector: sessionrecord.RecordLabel})
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

// writeBootFile writes a session of a connection server (on NodePort
// port), a root controller and two applications; extra is added to
// app-001's arguments.
func writeBootFile(t *testing.T, name, host string, port int, extra ...string) string {
	t.Helper()
	return e2eproc.WriteBootFile(t, name,
		e2eproc.ConnectionServer(host, port),
		e2eproc.RootController(host, "-s", name, "-n", "root-controller"),
		e2eproc.App("app-000", host, "0.0"),
		e2eproc.App("app-001", host, "0.1", extra...))
}
