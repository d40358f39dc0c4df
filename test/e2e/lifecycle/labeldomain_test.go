package lifecycle

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestOtherLabelDomain: a site whose drunc runs with another
// settings.labels.drunc_label. boot takes it from --pm-config; the other
// verbs see that session only with --drunc-label, and then do their whole
// job: ps, wait, kill in stage order, terminate with the namespace.
func TestOtherLabelDomain(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	const domain = "daq.example.org"
	procs := []proc{
		{"root-controller", "0", "drunc-controller", 0},
		{"seg-a", "0.0", "drunc-controller", 1},
		{"ru-01", "0.0.0", "daq_application", 1},
		{"df-01", "0.0.1", "daq_application", 2},
	}
	hosts := testcluster.NodeNames("ld-host", 3)
	tc.Nodes(t, hosts...)
	ns := tc.UniqueName("ld")
	tc.DeleteNamespaceLater(t, ns)
	pm := filepath.Join(t.TempDir(), "pm.json")
	if err := os.WriteFile(pm, []byte(`{"settings": {"labels": {"drunc_label": "`+domain+`"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		out, stderr, code := tc.Plugin(t, args...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
		return out, stderr
	}
	run("boot", "-f", bootFile(t, ns, hosts, procs), "-n", ns, "--pm-config", pm, "--no-probe", "--timeout=120s")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := tc.Client.CoreV1().Pods(ns).Get(ctx, "ru-01", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Labels["creator."+domain] == "" || p.Labels["uuid."+domain] == "" || p.Labels["role."+domain] != "application" || p.Labels["creator.drunc.daq"] != "" {
		t.Fatalf("pods are not labelled in %s only: %v", domain, p.Labels)
	}

	// The default domain sees no process there: nothing to act on.
	if out, stderr, _ := tc.Plugin(t, "ps", "-n", ns); strings.Contains(out, "ru-01") {
		t.Errorf("ps without --drunc-label lists pods of another label domain:\n%s%s", out, stderr)
	}
	if _, stderr, code := tc.Plugin(t, "kill", "-n", ns, "ru-01"); code == 0 || !strings.Contains(stderr, "no process") {
		t.Errorf("kill without --drunc-label: exit %d, want 'no process':\n%s", code, stderr)
	}

	with := "--drunc-label=" + domain
	out, _ := run("ps", "-n", ns, with)
	for _, want := range []string{"root-controller   root-controller", "seg-a", "ru-01", "application"} {
		if !strings.Contains(out, want) {
			t.Errorf("ps %s lacks %q:\n%s", with, want, out)
		}
	}
	run("wait", "-n", ns, with, "--for=ready", "--timeout=60s")
	out, _ = run("kill", "-n", ns, with, "^ru-01$", "--timeout=60s")
	if !strings.Contains(out, "ru-01") {
		t.Errorf("kill %s does not list ru-01:\n%s", with, out)
	}
	_, stderr := run("terminate", "-n", ns, with, "--timeout=90s")
	if !strings.Contains(stderr, "namespace "+ns+" deleted") {
		t.Errorf("terminate %s did not delete the session namespace:\n%s", with, stderr)
	}
	if _, err := tc.Client.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s still there after terminate: %v", ns, err)
	}
}

// TestLabelDomainFlagOnBoot: --drunc-label on boot labels the session in
// that domain (it wins over --pm-config's), and a bad value is refused
// before anything is sent.
func TestLabelDomainFlagOnBoot(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	out, stderr, code := tc.Plugin(t, "boot", "-f", bootFile(t, "ld-dry", []string{"h0"}, []proc{{"root-controller", "0", "drunc-controller", 0}}),
		"--dry-run=client", "-o", "yaml", "--drunc-label=np04.cern.ch")
	if code != 0 || !strings.Contains(out, "creator.np04.cern.ch: K8sProcessManager") || strings.Contains(out, "creator.drunc.daq") {
		t.Errorf("boot --drunc-label --dry-run: exit %d\n%s%s", code, out, stderr)
	}
	for _, args := range [][]string{
		{"ps", "-A", "--drunc-label=bad/domain"},
		{"terminate", "-A", "--drunc-label=bad/domain"},
		{"boot", "-f", "nonexistent.yaml", "--drunc-label="},
	} {
		_, stderr, code := tc.Plugin(t, args...)
		if code == 0 || !strings.Contains(stderr, "--drunc-label") {
			t.Errorf("kubectl drunc %s: exit %d, want an error naming --drunc-label:\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}
