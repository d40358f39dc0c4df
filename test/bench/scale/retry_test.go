package scale

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// pushedBack: the server shed the request (429) or it waited in the API
// server's queue past the request timeout (504). With thousands of
// requests at once and no client-side limit, that is how the server limits
// a client, and every client retries.
// A reset stream (no API status at all) is the same under load: the server
// gave up on the request; a create it did carry out answers AlreadyExists
// when retried.
func pushedBack(err error) bool {
	var status apierrors.APIStatus
	if !errors.As(err, &status) {
		return true
	}
	return apierrors.IsTooManyRequests(err) || apierrors.IsTimeout(err) || apierrors.IsServerTimeout(err) ||
		apierrors.IsServiceUnavailable(err)
}

// retry calls fn until it succeeds, fails otherwise than pushedBack, or
// ctx ends; it returns how many retries it took and the last error.
func retry(ctx context.Context, fn func() error) (int, error) {
	for n := 0; ; n++ {
		err := fn()
		if err == nil || !pushedBack(err) || ctx.Err() != nil {
			return n, err
		}
		select {
		case <-ctx.Done():
			return n, err
		case <-time.After(time.Second):
		}
	}
}
