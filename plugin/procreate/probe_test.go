package procreate

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// freeAddr returns a loopback address nothing listens on (any more).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestProbeHTTPAnyAnswerCounts(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler()) // 404, like the connection server on "/"
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ProbeHTTP(ctx, strings.TrimPrefix(srv.URL, "http://"), 50*time.Millisecond); err != nil {
		t.Fatalf("ProbeHTTP of a live server: %v", err)
	}
}

func TestProbeHTTPWaitsForLateServer(t *testing.T) {
	addr := freeAddr(t)
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	started := make(chan struct{})
	go func() {
		time.Sleep(300 * time.Millisecond) // the process starts listening after a while
		l, err := net.Listen("tcp", addr)
		if err != nil {
			close(started)
			return
		}
		srv.Listener = l
		srv.Start()
		close(started)
	}()
	defer func() { <-started; srv.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ProbeHTTP(ctx, addr, 50*time.Millisecond); err != nil {
		t.Fatalf("ProbeHTTP of a server that starts late: %v", err)
	}
	if time.Since(start) < 250*time.Millisecond {
		t.Fatalf("ProbeHTTP succeeded before the server listened")
	}
}

func TestProbeHTTPSilentPortFails(t *testing.T) {
	// Accepts TCP but never answers HTTP: not a connection server.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	err = ProbeHTTP(ctx, l.Addr().String(), 100*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "last attempt") {
		t.Fatalf("ProbeHTTP of a silent port = %v, want a timeout with the last attempt", err)
	}
}

func TestProbeTCP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ProbeTCP(ctx, l.Addr().String(), 50*time.Millisecond); err != nil {
		t.Fatalf("ProbeTCP of a listener: %v", err)
	}

	closed := freeAddr(t)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	start := time.Now()
	err = ProbeTCP(ctx2, closed, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("ProbeTCP of a closed port = %v, want connection refused", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 3*time.Second {
		t.Fatalf("ProbeTCP gave up after %s, want about the 300ms bound", d)
	}
}
