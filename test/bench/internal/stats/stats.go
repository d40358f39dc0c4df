// Package stats is the arithmetic of the benchmarks' reports: medians,
// percentiles and ratios of a handful of runs.
package stats

import (
	"cmp"
	"slices"
	"time"
)

// Median is the middle value (the upper one of an even count); zero for none.
func Median[T cmp.Ordered](v []T) T {
	var zero T
	if len(v) == 0 {
		return zero
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// Percentile is the p-th percentile (0-100) by the nearest rank below;
// zero for none.
func Percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

// Ratio is a/b, 0 when b is.
func Ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return a.Seconds() / b.Seconds()
}

// MS is d in milliseconds, to the microsecond.
func MS(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
