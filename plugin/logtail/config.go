// Package logtail is the logs engine: the log lines of several drunc
// processes, read through the API server's pods/log, merged line by line
// with a [session/name] prefix (never interleaving inside a line), filtered
// by --grep, and, when following, kept going across dropped streams and
// process restarts.
//
// It reads processes from the shared informer cache: without Follow it
// fetches the selected processes once (at most MaxRequests at a time) and
// prints their lines in time order; with Follow it streams each process,
// starts streaming processes that appear later (the cache's add events,
// e.g. a restart recreating the pod), and after a dropped stream resumes
// from the timestamp of the last line it printed, skipping the lines it
// already printed at that timestamp.
package logtail

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// DefaultTail is drunc's --how-far: the last 100 lines of each process.
const DefaultTail = 100

// DefaultMaxRequests is kubectl logs' --max-log-requests default: the
// parallelism of reads without Follow.
const DefaultMaxRequests = 5

// DefaultFollowStreams is the limit of streams followed at once by
// default: a whole DUNE session (~400 processes) with room to grow. Each
// stream is an HTTP/2 stream on the one connection to the API server
// (kube-apiserver allows 1000 per connection by default) and two
// goroutines here; BENCHMARKS.md has the cost of 400.
const DefaultFollowStreams = 1000

// Config says what to print and how.
type Config struct {
	// Client reads pods/log (text, so a JSON clientset is fine).
	Client kubernetes.Interface
	// Cache holds the processes; in Follow mode its add, update and delete
	// events start, stop and resume streams.
	Cache *informers.Cache
	// Select picks the processes among the cache's pods (nil: all).
	Select func(*corev1.Pod) bool

	// Tail is how many lines of each process to start with; < 0 is all.
	// Processes that appear while following are printed from their start.
	Tail int64
	// Since only prints lines newer than this (0: no limit); SinceTime is
	// its absolute form. At most one is set.
	Since     time.Duration
	SinceTime time.Time

	// Follow keeps streaming until the context ends.
	Follow bool
	// Timestamps prints each line's RFC 3339 timestamp (the container
	// runtime's), after the prefix.
	Timestamps bool
	// Prefix prints [session/name] before each line.
	Prefix bool
	// Grep keeps only lines containing this text ("" keeps all); it applies
	// after Tail (the last Tail lines, then those that match), like drunc.
	Grep string
	// Include keeps only lines matching one of these (none: all lines);
	// Exclude drops lines matching any of these. Both apply with Grep.
	Include, Exclude []*regexp.Regexp
	// Format is FormatRaw ("" too) or FormatJSON (one JSONLine per line;
	// Prefix, Timestamps and Color do not apply).
	Format string
	// Color highlights Grep matches and colours prefixes per process.
	Color bool

	// MaxRequests bounds the concurrent log requests. Without Follow it is
	// the fetch parallelism; with Follow, more initial processes than this
	// is an error (as kubectl logs -f), and processes appearing later wait
	// for a free stream.
	MaxRequests int

	// Out receives log lines; Err receives notes ([session/name] pod
	// deleted, not started yet, ...).
	Out io.Writer
	Err io.Writer

	// RetryMin and RetryMax bound the backoff between attempts to reopen
	// a dropped stream (defaults 250 ms and 5 s).
	RetryMin, RetryMax time.Duration
}

// TooManyStreamsError is returned when Follow needs more streams at once
// than MaxRequests allows; the wording is kubectl logs'.
type TooManyStreamsError struct{ Streams, Max int }

func (e *TooManyStreamsError) Error() string {
	return fmt.Sprintf("you are attempting to follow %d log streams, but maximum allowed concurrency is %d, use --max-log-requests to increase the limit", e.Streams, e.Max)
}

func (c *Config) validate() error {
	switch {
	case c.Client == nil:
		return errors.New("logtail: Config.Client is nil")
	case c.Cache == nil:
		return errors.New("logtail: Config.Cache is nil")
	case c.Out == nil || c.Err == nil:
		return errors.New("logtail: Config.Out and Config.Err are required")
	case c.MaxRequests < 1:
		return fmt.Errorf("--max-log-requests must be at least 1, not %d", c.MaxRequests)
	case c.Since != 0 && !c.SinceTime.IsZero():
		return errors.New("only one of --since and --since-time may be given")
	case c.Since < 0:
		return fmt.Errorf("--since must be positive, not %s", c.Since)
	case c.Format != "" && c.Format != FormatRaw && c.Format != FormatJSON:
		return fmt.Errorf("logtail: Config.Format %q is neither raw nor json", c.Format)
	}
	return nil
}

func (c *Config) selects(pod *corev1.Pod) bool {
	return c.Select == nil || c.Select(pod)
}

func (c *Config) retryBounds() (time.Duration, time.Duration) {
	lo, hi := c.RetryMin, c.RetryMax
	if lo <= 0 {
		lo = 250 * time.Millisecond
	}
	if hi < lo {
		hi = max(5*time.Second, lo)
	}
	return lo, hi
}
