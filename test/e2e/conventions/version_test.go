package conventions

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionWithoutAServer: as kubectl version, version --server prints the
// client's version even when no API server answers, then the error, exit 1.
func TestVersionWithoutAServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing answers there now
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	text := "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://" + addr + "\"}}]\n" +
		"contexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n"
	if err := os.WriteFile(kc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := plugin(t, nil, "version", "--server", "--kubeconfig", kc, "--request-timeout", "5s")
	if code != 1 || !strings.HasPrefix(out, "Client Version: ") || !strings.Contains(stderr, "cannot read the server version") {
		t.Errorf("version --server without a server: exit %d, stdout %q, stderr %q; want 1, the client's version, the error", code, out, stderr)
	}
}
