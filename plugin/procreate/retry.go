package procreate

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilnet "k8s.io/apimachinery/pkg/util/net"
)

// Transient tells whether a create failed because the API was briefly
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

// retryBackoff is the pause before the attempt after n failed ones.
func retryBackoff(n int) time.Duration {
	d := 100 * time.Millisecond << min(n, 4)
	return min(d, 2*time.Second)
}

// sleepCtx pauses, or returns false when ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
