package cli

import "testing"

// --request-timeout takes what client-go takes (seconds or a duration, 0:
// none) and refuses the rest, negative durations too, naming the flag.
func TestCheckRequestTimeout(t *testing.T) {
	for value, ok := range map[string]bool{"": true, "0": true, "5": true, "30s": true, "2m": true, "abc": false, "-1s": false, "-5": false, "1x": false} {
		v := value
		if err := checkRequestTimeout(&v); (err == nil) != ok {
			t.Errorf("--request-timeout %q: %v, want ok=%v", value, err, ok)
		}
	}
}
