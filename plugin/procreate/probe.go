package procreate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Probe checks that a process answers on addr (host:port); it retries
// every interval until it succeeds or ctx ends, and then returns the last
// failure.
type Probe func(ctx context.Context, addr string, interval time.Duration) error

// ProbeHTTP is the LCS check: any HTTP response counts (the connection
// server answers 404 on "/"), as in drunc; a refused or silent port does not.
func ProbeHTTP(ctx context.Context, addr string, interval time.Duration) error {
	return probeHTTP(ctx, addr, interval, nil)
}

func probeHTTP(ctx context.Context, addr string, interval time.Duration, onFail func(error)) error {
	client := &http.Client{
		Timeout: interval,
		// Never follow a redirect elsewhere: the answer itself is the proof.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{Proxy: nil, DisableKeepAlives: true},
	}
	url := "http://" + addr + "/"
	return retry(ctx, interval, onFail, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		return nil
	})
}

// ProbeTCP is the root controller check: its gRPC port accepts a connection.
func ProbeTCP(ctx context.Context, addr string, interval time.Duration) error {
	return probeTCP(ctx, addr, interval, nil)
}

func probeTCP(ctx context.Context, addr string, interval time.Duration, onFail func(error)) error {
	d := net.Dialer{Timeout: interval}
	return retry(ctx, interval, onFail, func(ctx context.Context) error {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	})
}

// retry runs try until it succeeds or ctx ends, at most once per interval.
// A reachability check has no event to wait on: retrying is the only way.
// onFail, when set, hears of every failed attempt (the one worth telling).
func retry(ctx context.Context, interval time.Duration, onFail func(last error), try func(context.Context) error) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var last error
	for {
		err := try(ctx)
		if err == nil {
			return nil
		}
		// An attempt cut short by the deadline says less than the one before
		// ("connection refused" is the useful news).
		var ne net.Error
		if last == nil || !(errors.As(err, &ne) && ne.Timeout()) {
			last = err
		}
		if onFail != nil {
			onFail(last)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last attempt: %w)", context.Cause(ctx), last)
		case <-tick.C:
		}
	}
}
