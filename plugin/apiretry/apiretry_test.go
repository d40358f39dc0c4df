package apiretry

import (
	"context"
	"errors"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func TestOnTransient(t *testing.T) {
	gr := schema.GroupResource{Resource: "services"}
	unavailable := apierrors.NewServiceUnavailable("apiserver restarting")
	notFound := apierrors.NewNotFound(gr, "app")

	cases := map[string]struct {
		errs      []error // what each try returns, in turn; nil once exhausted
		wantTries int
		want      error
	}{
		"succeeds first":                 {errs: nil, wantTries: 1, want: nil},
		"outage then success":            {errs: []error{unavailable, unavailable}, wantTries: 3, want: nil},
		"a refusal is not tried again":   {errs: []error{notFound}, wantTries: 1, want: notFound},
		"outage then refusal is the end": {errs: []error{unavailable, notFound}, wantTries: 2, want: notFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tries := 0
			err := OnTransient(context.Background(), func() error {
				tries++
				if tries <= len(tc.errs) {
					return tc.errs[tries-1]
				}
				return nil
			})
			if tries != tc.wantTries || !errors.Is(err, tc.want) {
				t.Errorf("tries %d, err %v; want %d, %v", tries, err, tc.wantTries, tc.want)
			}
		})
	}
}

// TestOnTransientEndsWithItsContext: an outage longer than the caller's
// bound returns the last error instead of trying forever.
func TestOnTransientEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	unavailable := apierrors.NewServiceUnavailable("apiserver restarting")
	tries := 0
	err := OnTransient(ctx, func() error { tries++; return unavailable })
	if !apierrors.IsServiceUnavailable(err) {
		t.Errorf("err = %v, want the last ServiceUnavailable", err)
	}
	if tries < 2 {
		t.Errorf("tried %d times within 300ms, want retries", tries)
	}
}
