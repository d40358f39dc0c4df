package testcluster

import (
	"testing"
	"time"
)

// Eventually polls cond every 200 ms until it holds, for at most within
// (a test waiting on the cluster is always bounded); then it fails the
// test with what, and cond's last word on why not.
func Eventually(t testing.TB, within time.Duration, what string, cond func() (ok bool, why string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, why := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s; last: %s", what, within, why)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
