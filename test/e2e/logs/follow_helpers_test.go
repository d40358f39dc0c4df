package logs

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// follower runs `kubectl drunc logs -f ...` and collects its output.
type follower struct {
	mu     sync.Mutex
	out    []string
	errOut strings.Builder
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

func startFollow(t *testing.T, tc *testcluster.Cluster, kubeconfig string, args ...string) *follower {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	cmd := tc.PluginCommandAs(t, ctx, kubeconfig, append([]string{"logs", "-f"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f := &follower{cancel: cancel, done: make(chan error, 1)}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			f.mu.Lock()
			f.out = append(f.out, s.Text())
			f.mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		s := bufio.NewScanner(stderr)
		for s.Scan() {
			f.mu.Lock()
			f.errOut.WriteString(s.Text() + "\n")
			f.mu.Unlock()
		}
	}()
	go func() { wg.Wait(); f.done <- cmd.Wait() }()
	t.Cleanup(func() { f.stop(t) })
	return f
}

// stop interrupts the plugin (SIGINT) and waits for it to exit.
func (f *follower) stop(t *testing.T) {
	f.once.Do(func() {
		f.cancel()
		select {
		case <-f.done:
		case <-time.After(15 * time.Second):
			t.Error("logs -f did not exit within 15s of SIGINT")
		}
		// With a -race build of the plugin (DRUNC_TEST_PLUGIN), races
		// in the follow engine show up here.
		if strings.Contains(f.stderr(), "DATA RACE") {
			t.Errorf("the plugin reported a data race:\n%s", f.stderr())
		}
	})
}

func (f *follower) lines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.out...)
}

// stderr is what the plugin wrote to stderr so far.
func (f *follower) stderr() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.errOut.String()
}

// waitLine waits (60 s at most) until a printed line equals want.
func (f *follower) waitLine(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		for _, l := range f.lines() {
			if l == want {
				return
			}
		}
		if time.Now().After(deadline) {
			f.stop(t)
			t.Fatalf("logs -f never printed %q within 60s; stdout so far %q; stderr %q", want, f.lines(), f.stderr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitStderr waits (60 s at most) until stderr contains want.
func (f *follower) waitStderr(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(f.stderr(), want) {
		if time.Now().After(deadline) {
			f.stop(t)
			t.Fatalf("logs -f never wrote %q to stderr within 60s; stderr so far %q", want, f.stderr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cutProxy forwards TCP from 127.0.0.1 to the API server and can cut every
// open connection, as a network blip or a load balancer timeout would.
type cutProxy struct {
	ln       net.Listener
	target   string
	mu       sync.Mutex
	conns    []net.Conn
	accepted int
}

func newCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.accepted++
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close() }()
		go func() { _, _ = io.Copy(c, s); c.Close() }()
	}
}

func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *cutProxy) connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted
}

// kubeconfigThrough writes a copy of the admin kubeconfig whose server is
// the proxy (the serving certificate is valid for 127.0.0.1 on any port).
func kubeconfigThrough(t *testing.T, tc *testcluster.Cluster) (string, *cutProxy) {
	t.Helper()
	u, err := url.Parse(tc.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	p := newCutProxy(t, u.Host)
	cfg, err := clientcmd.LoadFromFile(tc.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cfg.Clusters {
		c.Server = "https://" + p.ln.Addr().String()
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	return path, p
}
