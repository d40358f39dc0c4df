package conventions

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
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

// TestVersionInterruptedWhileTheServerHangs: Ctrl-C ends version --server
// at once when the API server accepts the request and never answers.
func TestVersionInterruptedWhileTheServerHangs(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-hang }))
	t.Cleanup(func() { close(hang); srv.Close() })
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	text := "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"" + srv.URL + "\", insecure-skip-tls-verify: true}}]\n" +
		"contexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n"
	if err := os.WriteFile(kc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testcluster.PluginBinary(t), "version", "--server", "--kubeconfig", kc)
	cmd.Env = cleanEnv()
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the request is sent and hangs
	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if took := time.Since(sent); took > 5*time.Second || cmd.ProcessState.ExitCode() == 0 || !strings.HasPrefix(out.String(), "Client Version: ") {
		t.Errorf("version --server after Ctrl-C: exit %d after %s, stdout %q, stderr %q; want an error within 5s, the client's version first",
			cmd.ProcessState.ExitCode(), took.Round(time.Millisecond), out.String(), errOut.String())
	}
}

// TestRefusedConnectionSaysWhatToCheck: with no kubeconfig at all, the
// error says none was found (client-go then tries localhost:8080); with
// one pointing where nothing listens, it asks whether the server is up.
func TestRefusedConnectionSaysWhatToCheck(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	kc := filepath.Join(t.TempDir(), "kubeconfig")
	text := "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://" + addr + "\"}}]\n" +
		"contexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n"
	if err := os.WriteFile(kc, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := plugin(t, nil, "ps", "-A", "--kubeconfig", kc)
	if code != 1 || !strings.Contains(stderr, "nothing answers there; is the API server up") {
		t.Errorf("ps -A against %s: exit %d, stderr %q", addr, code, stderr)
	}
	if _, err := net.Dial("tcp", "127.0.0.1:8080"); err == nil {
		t.Skip("something listens on 127.0.0.1:8080, where client-go goes without a kubeconfig")
	}
	_, stderr, code = plugin(t, []string{"HOME=" + t.TempDir()}, "ps", "-A")
	if code != 1 || !strings.Contains(stderr, "no kubeconfig was found") {
		t.Errorf("ps -A without a kubeconfig: exit %d, stderr %q", code, stderr)
	}
}
