package conventions

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/e2eproc"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestUserAgentInAuditLog: the apiserver itself records the plugin's writes
// (a real boot) with User-Agent kubectl-drunc/<version> in its audit log.
func TestUserAgentInAuditLog(t *testing.T) {
	tc := testcluster.Get(t)
	host := testcluster.NodeNames("ua-host", 1)
	tc.Nodes(t, host...)
	name := tc.UniqueName("ua")
	file := e2eproc.WriteBootFile(t, name, e2eproc.RootController(host[0], "-n", "root-controller"))
	t.Cleanup(func() { tc.Plugin(t, "terminate", "-n", name, "--wait=false") })

	out, _, _ := tc.Plugin(t, "version", "-o", "json")
	var info struct {
		ClientVersion struct{ Version string } `json:"clientVersion"`
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("version -o json: %v: %q", err, out)
	}
	want := "kubectl-drunc/" + info.ClientVersion.Version

	if _, stderr, code := tc.Plugin(t, "boot", "-f", file, "-n", name, "--no-probe", "--wait=false"); code != 0 {
		t.Fatalf("boot: exit %d\n%s", code, stderr)
	}
	// The log backend writes each event as the request completes; allow the
	// file a moment to show them.
	var agents map[string]int
	for i := 0; i < 40; i++ {
		agents = auditAgents(t, filepath.Join(tc.StateDir, "audit", "audit.log"), name)
		if agents[want] >= 3 { // namespace, pod, service at least
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if agents[want] < 3 {
		t.Fatalf("audit log: creates in %s by user agent %v; want at least 3 by %q", name, agents, want)
	}
	for ua, n := range agents {
		if ua != want {
			t.Errorf("audit log: %d creates in session %s with User-Agent %q, want only %q", n, name, ua, want)
		}
	}
}

// auditAgents counts the create events for objects in (or being) the
// namespace, by user agent, made by the admin user the plugin runs as.
func auditAgents(t *testing.T, path, namespace string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		if !strings.Contains(string(line), namespace) {
			continue
		}
		var ev struct {
			Verb      string `json:"verb"`
			UserAgent string `json:"userAgent"`
			Stage     string `json:"stage"`
			ObjectRef struct {
				Resource, Namespace, Name string
			} `json:"objectRef"`
			User struct {
				Username string `json:"username"`
			} `json:"user"`
		}
		if json.Unmarshal(line, &ev) != nil || ev.Verb != "create" || ev.Stage != "ResponseComplete" {
			continue
		}
		if ev.ObjectRef.Namespace == namespace || (ev.ObjectRef.Resource == "namespaces" && ev.ObjectRef.Name == namespace) {
			if strings.HasPrefix(ev.User.Username, "system:") && ev.User.Username != "system:admin" {
				continue // the control plane's own writes (service accounts, endpoints...)
			}
			out[ev.UserAgent]++
		}
	}
	return out
}
