// Package apiretry rides out a brief API outage (an apiserver or etcd
// restart, an overloaded server): which errors are worth another try, and
// the one backoff every verb uses for them.
package apiretry

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// Transient tells whether a request failed because the API was briefly
// unavailable (an apiserver or etcd restart, an overloaded server) rather
// than because it refused the object: worth trying again.
func Transient(err error) bool {
	switch {
	case err == nil:
		return false
	case utilnet.IsConnectionRefused(err), utilnet.IsConnectionReset(err), utilnet.IsProbableEOF(err):
		return true
	case apierrors.IsServerTimeout(err), apierrors.IsTimeout(err), apierrors.IsTooManyRequests(err),
		apierrors.IsServiceUnavailable(err), apierrors.IsInternalError(err):
		return true
	}
	var statusErr apierrors.APIStatus
	if errors.As(err, &statusErr) {
		return statusErr.Status().Code == 502 || statusErr.Status().Code == 503 || statusErr.Status().Code == 504
	}
	return false
}

// OnTransient calls try until it succeeds, fails for a reason other
// than a Transient one, or ctx ends (then the last error is returned). It
// is how the requests around a create (deleting what it replaces) ride out
// an apiserver restart as the creates themselves do.
func OnTransient(ctx context.Context, try func() error) error {
	for attempt := 0; ; attempt++ {
		err := try()
		if !Transient(err) || !Sleep(ctx, Backoff(attempt)) {
			return err
		}
	}
}

// Backoff is the pause before the attempt after n failed ones.
func Backoff(n int) time.Duration {
	d := 100 * time.Millisecond << min(n, 4)
	return min(d, 2*time.Second)
}

// Sleep pauses, or returns false when ctx ends first.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
