package version_test

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/version"
	fakediscovery "k8s.io/client-go/discovery/fake"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

func TestVersion(t *testing.T) {
	cs := vt.Clientset()
	cs.Discovery().(*fakediscovery.FakeDiscovery).FakedServerVersion = &version.Info{GitVersion: "v1.99.0", Platform: "linux/arm64"}
	platform := runtime.GOOS + "/" + runtime.GOARCH

	r := vt.Run(t, cs, "version")
	want := "Client Version: " + cli.Version + " (commit " + cli.Commit + ", built " + cli.Date + ", " + platform + ")\n"
	if r.Code != 0 || r.Out != want {
		t.Errorf("version: %+v, want stdout %q", r, want)
	}
	r = vt.Run(t, cs, "version", "--server")
	if r.Code != 0 || r.Out != want+"Server Version: v1.99.0\n" {
		t.Errorf("version --server: %+v", r)
	}
	r = vt.Run(t, cs, "version", "--server", "-o", "json")
	var info struct {
		ClientVersion struct{ Version, Platform string } `json:"clientVersion"`
		ServerVersion *struct{ GitVersion string }       `json:"serverVersion"`
	}
	if err := json.Unmarshal([]byte(r.Out), &info); err != nil || info.ClientVersion.Version != cli.Version ||
		info.ClientVersion.Platform != platform || info.ServerVersion == nil || info.ServerVersion.GitVersion != "v1.99.0" {
		t.Errorf("-o json: %q (%v)", r.Out, err)
	}
	r = vt.Run(t, cs, "version", "-o", "yaml")
	if r.Code != 0 || !strings.Contains(r.Out, "clientVersion:") || strings.Contains(r.Out, "serverVersion") {
		t.Errorf("-o yaml: %+v", r)
	}
	r = vt.Run(t, cs, "version", "-o", "xml")
	if r.Code != 1 || !strings.Contains(r.Err, `--output "xml" is not supported; use json or yaml`) {
		t.Errorf("-o xml: %+v", r)
	}
}
