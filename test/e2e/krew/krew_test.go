// Package krew proves the release works as users install it: krew's own
// validator accepts krew/drunc.yaml, `kubectl krew install` installs every
// platform's archive from dist/ (offline, with --archive), and the installed
// plugin runs through kubectl's plugin mechanism, with its completion shim.
//
// `make e2e-krew` builds the archives, the manifest and krew, then runs this
// with DRUNC_KREW_TOOLS set; without it the test skips.
package krew

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// ToolsEnv names the directory holding kubectl-krew and validate-krew-manifest
// (hack/devtools/build.sh krew).
const ToolsEnv = "DRUNC_KREW_TOOLS"

type manifest struct {
	Spec struct {
		Version   string `json:"version"`
		Platforms []struct {
			Selector struct {
				MatchLabels map[string]string `json:"matchLabels"`
			} `json:"selector"`
			URI    string `json:"uri"`
			Sha256 string `json:"sha256"`
			Bin    string `json:"bin"`
		} `json:"platforms"`
	} `json:"spec"`
}

type env struct {
	tools, kubectl, manifestPath, dist string
	m                                  manifest
}

func setup(t *testing.T) env {
	t.Helper()
	tools := os.Getenv(ToolsEnv)
	if tools == "" {
		t.Skipf("krew install test skipped: %s is not set (run `make e2e-krew`)", ToolsEnv)
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	e := env{tools: tools, manifestPath: filepath.Join(root, "krew", "drunc.yaml"), dist: filepath.Join(root, "dist")}
	if d := os.Getenv("DIST_DIR"); d != "" {
		e.dist = d
	}
	var err error
	if e.kubectl, err = exec.LookPath("kubectl"); err != nil {
		t.Fatalf("kubectl is not on PATH: %v", err)
	}
	b, err := os.ReadFile(e.manifestPath)
	if err != nil {
		t.Fatalf("%v (run `make dist krew`)", err)
	}
	if err := yaml.Unmarshal(b, &e.m); err != nil {
		t.Fatalf("%s: %v", e.manifestPath, err)
	}
	if len(e.m.Spec.Platforms) != 5 {
		t.Fatalf("%s has %d platforms, want linux/amd64, linux/arm64, darwin/amd64, darwin/arm64, windows/amd64", e.manifestPath, len(e.m.Spec.Platforms))
	}
	return e
}

// run runs a command with exactly the given environment (plus PATH) so that
// nothing of the developer's own krew or plugins leaks in.
func run(t *testing.T, path []string, extraEnv []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append([]string{"PATH=" + strings.Join(path, string(os.PathListSeparator)), "HOME=" + t.TempDir(), "KREW_NO_UPGRADE_CHECK=1"}, extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (e env) basePath() []string {
	return []string{e.tools, filepath.Dir(e.kubectl), "/usr/bin", "/bin"}
}

func (e env) archive(t *testing.T, uri string) string {
	p := filepath.Join(e.dist, filepath.Base(uri))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("archive for %s not found: %v (run `make dist` with the manifest's version %s)", uri, err, e.m.Spec.Version)
	}
	return p
}

func TestValidatorAcceptsManifest(t *testing.T) {
	e := setup(t)
	// -skip-install: the validator's own install step downloads the release
	// URIs; TestInstallEveryPlatform does that step offline instead.
	out, err := run(t, e.basePath(), nil, filepath.Join(e.tools, "validate-krew-manifest"), "-manifest", e.manifestPath, "-skip-install")
	t.Logf("validate-krew-manifest:\n%s", out)
	if err != nil {
		t.Fatalf("validate-krew-manifest rejected %s: %v", e.manifestPath, err)
	}
	for _, want := range []string{"structural validation OK", "all spec.platform[] items are used", "no overlapping spec.platform[].selector"} {
		if !strings.Contains(out, want) {
			t.Errorf("validator output lacks %q", want)
		}
	}
}

// TestInstallEveryPlatform does what the validator's install step does, for
// each platform, from the local archives: krew checks the sha256, extracts
// the files and the LICENSE must be there.
func TestInstallEveryPlatform(t *testing.T) {
	e := setup(t)
	for _, p := range e.m.Spec.Platforms {
		osName, arch := p.Selector.MatchLabels["os"], p.Selector.MatchLabels["arch"]
		t.Run(osName+"/"+arch, func(t *testing.T) {
			krewRoot := t.TempDir()
			out, err := run(t, e.basePath(), []string{"KREW_ROOT=" + krewRoot, "KREW_OS=" + osName, "KREW_ARCH=" + arch},
				"kubectl", "krew", "install", "--manifest="+e.manifestPath, "--archive="+e.archive(t, p.URI))
			t.Logf("kubectl krew install (%s/%s):\n%s", osName, arch, out)
			if err != nil {
				t.Fatalf("krew install failed: %v", err)
			}
			store := filepath.Join(krewRoot, "store", "drunc", e.m.Spec.Version)
			for _, f := range []string{p.Bin, "LICENSE", "kubectl_complete-drunc"} {
				if _, err := os.Stat(filepath.Join(store, f)); err != nil {
					t.Errorf("installed plugin lacks %s: %v", f, err)
				}
			}
		})
	}
}

func TestInstallRefusesWrongChecksum(t *testing.T) {
	e := setup(t)
	b, _ := os.ReadFile(e.manifestPath)
	p := e.m.Spec.Platforms[0]
	bad := filepath.Join(t.TempDir(), "drunc.yaml")
	if err := os.WriteFile(bad, bytes.ReplaceAll(b, []byte(p.Sha256), []byte(strings.Repeat("0", 64))), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, e.basePath(), []string{"KREW_ROOT=" + t.TempDir(), "KREW_OS=" + p.Selector.MatchLabels["os"], "KREW_ARCH=" + p.Selector.MatchLabels["arch"]},
		"kubectl", "krew", "install", "--manifest="+bad, "--archive="+e.archive(t, p.URI))
	if err == nil || !strings.Contains(out, "checksum") {
		t.Fatalf("install with a wrong sha256 did not fail on the checksum: err=%v\n%s", err, out)
	}
}

// TestKubectlRunsInstalledPlugin installs this machine's platform and runs
// `kubectl drunc version` through kubectl, then `kubectl drunc <TAB>` through
// the completion shim.
func TestKubectlRunsInstalledPlugin(t *testing.T) {
	e := setup(t)
	var uri string
	for _, p := range e.m.Spec.Platforms {
		if p.Selector.MatchLabels["os"] == runtime.GOOS && p.Selector.MatchLabels["arch"] == runtime.GOARCH {
			uri = p.URI
		}
	}
	if uri == "" {
		t.Skipf("no platform for %s/%s in the manifest", runtime.GOOS, runtime.GOARCH)
	}
	krewRoot := t.TempDir()
	krewEnv := []string{"KREW_ROOT=" + krewRoot}
	path := append([]string{filepath.Join(krewRoot, "bin")}, e.basePath()...)
	out, err := run(t, path, krewEnv, "kubectl", "krew", "install", "--manifest="+e.manifestPath, "--archive="+e.archive(t, uri))
	t.Logf("kubectl krew install:\n%s", out)
	if err != nil {
		t.Fatalf("krew install failed: %v", err)
	}
	if !strings.Contains(out, "Installed plugin: drunc") {
		t.Errorf("krew did not report the installation")
	}

	out, err = run(t, path, krewEnv, "kubectl", "plugin", "list")
	if err != nil || !strings.Contains(out, filepath.Join(krewRoot, "bin", "kubectl-drunc")) {
		t.Fatalf("kubectl plugin list does not show the krew-installed plugin (err %v):\n%s", err, out)
	}

	out, err = run(t, path, krewEnv, "kubectl", "drunc", "version")
	t.Logf("kubectl drunc version:\n%s", out)
	if err != nil {
		t.Fatalf("kubectl drunc version: %v", err)
	}
	if want := "Client Version: " + e.m.Spec.Version + " "; !strings.Contains(out, want) {
		t.Errorf("kubectl drunc version printed %q, want the manifest's version (%q)", out, want)
	}

	// The caveats' step: link the shim next to the plugin.
	shim := filepath.Join(krewRoot, "store", "drunc", e.m.Spec.Version, "kubectl_complete-drunc")
	if err := os.Symlink(shim, filepath.Join(krewRoot, "bin", "kubectl_complete-drunc")); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, path, krewEnv, "kubectl", "__complete", "drunc", "")
	if err != nil {
		t.Fatalf("kubectl __complete drunc: %v\n%s", err, out)
	}
	for _, verb := range []string{"version", "rbac", "completion"} {
		if !strings.Contains(out, "\n"+verb+"\t") && !strings.HasPrefix(out, verb+"\t") {
			t.Errorf("kubectl drunc <TAB> does not offer %q:\n%s", verb, out)
		}
	}

	if os.Getenv(testcluster.KubeconfigEnv) == "" {
		t.Log("no test cluster: `kubectl drunc version --server` not checked")
		return
	}
	tc := testcluster.Get(t)
	out, err = run(t, path, krewEnv, "kubectl", "drunc", "version", "--server", "--kubeconfig="+tc.Kubeconfig)
	if err != nil || !strings.Contains(out, "Server Version: v1.") {
		t.Fatalf("kubectl drunc version --server: err %v\n%s", err, out)
	}

	// kubectl drunc ps -n SESSION <TAB>: process names from the cluster,
	// through kubectl and the shim.
	ns := tc.Namespace(t, "krew-complete")
	keys := session.Keys("")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, n := range []string{"root-controller", "ru-01"} {
		pod := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: n, Labels: map[string]string{keys.Creator(): session.CreatorValue, session.AppLabel: n}},
			Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "p", Image: "busybox"}}},
		}
		if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	out, err = run(t, path, append(krewEnv, "KUBECONFIG="+tc.Kubeconfig), "kubectl", "__complete", "drunc", "ps", "-n", ns, "")
	if err != nil || !strings.Contains(out, "root-controller\n") || !strings.Contains(out, "ru-01\n") {
		t.Errorf("kubectl drunc ps -n %s <TAB> through kubectl: err %v, want root-controller and ru-01:\n%s", ns, err, out)
	}
}
