package lifecycle

import (
	"io"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
)

// DefaultMargin is added to the pods' grace period to bound a stage's wait
// when no timeout is given: time for the kubelet to report and the API to
// remove the pod after the process exited.
const DefaultMargin = 15 * time.Second

// DefaultMaxInFlight bounds concurrent API requests of one engine.
const DefaultMaxInFlight = 64

// Config is what every engine needs.
type Config struct {
	// Client writes (deletes, creates); reads come from Cache.
	Client kubernetes.Interface
	// Cache is the started shared informer of the selected session(s):
	// every wait is on it, so nothing polls the API.
	Cache *informers.Cache
	// GracePeriod overrides each pod's terminationGracePeriodSeconds when
	// set (0 = immediately, drunc's --crash); nil keeps the pod's own.
	GracePeriod *int64
	// StageTimeout bounds each stage's wait for its pods to be gone; 0 means
	// the longest grace period of the stage plus DefaultMargin.
	StageTimeout time.Duration
	// MaxInFlight bounds concurrent API requests (0 = DefaultMaxInFlight).
	MaxInFlight int
	// Progress, when set, receives one plain line per step (stderr).
	Progress io.Writer
}

func (c *Config) inFlight() int {
	if c.MaxInFlight > 0 {
		return c.MaxInFlight
	}
	return DefaultMaxInFlight
}
