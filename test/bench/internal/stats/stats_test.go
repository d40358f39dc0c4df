package stats

import (
	"testing"
	"time"
)

func TestMedianAndPercentile(t *testing.T) {
	if got := Median([]int64{5, 1, 3}); got != 3 {
		t.Errorf("median of 5, 1, 3 = %d", got)
	}
	if got := Median([]float64{4, 1}); got != 4 {
		t.Errorf("median of 4, 1 = %v, want the upper one", got)
	}
	if got := Median[time.Duration](nil); got != 0 {
		t.Errorf("median of none = %v", got)
	}
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(100-i) * time.Millisecond
	}
	for p, want := range map[int]time.Duration{0: time.Millisecond, 50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := Percentile(d, p); got != want {
			t.Errorf("p%d = %v, want %v", p, got, want)
		}
	}
	if Ratio(time.Second, 0) != 0 || Ratio(3*time.Second, 2*time.Second) != 1.5 {
		t.Error("Ratio")
	}
}
