// Package bootexec is the boot executor: it puts a rendered session
// (podspec.Objects) onto a cluster the way drunc boots it, only faster.
//
// One run: check every host before any write; create the session namespace
// (the create is the lock: of two boots at once exactly one wins); create
// the local connection server and wait until it is Ready and answers HTTP,
// so every later pod can resolve "localhost" to its ClusterIP; create the
// root controller and wait until it is Ready and accepts TCP; then create
// every other process concurrently with a bounded worker pool (pod, then its
// service); finally wait until all are Ready. Readiness comes from the one
// shared informer cache (plugin/waitfor), never from sleeps or polling.
// Failures do not stop the others; the Result says per process what
// happened, and Rollback deletes what the run created.
package bootexec

import (
	"errors"
	"io"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// DefaultMaxInFlight is how many processes are created at once by default
// (each a pod, then its service: up to twice as many requests). At 4,000
// and 10,000 processes the creates took 1.5-2x longer with 64 than with 256
// (BENCHMARKS.md, "Scale"); 500 was no faster. A server's priority and
// fairness queues what it cannot take yet, apart from other users'
// requests, and what it refuses (429) is retried.
const DefaultMaxInFlight = 256

// FieldManager names kubectl-drunc in managedFields.
const FieldManager = procreate.FieldManager

// Config is one boot.
type Config struct {
	// Client creates the objects and feeds the informer (a protobuf client,
	// informers.NewClient, is faster at scale). Its QPS/Burst should be
	// raised (cli.Factory does): the worker pool is the intended limit.
	Client kubernetes.Interface
	// Objects is the rendered session, in boot order. Its pods are modified
	// (the LCS address is set on every pod created after the LCS).
	Objects *podspec.Objects
	// Settings are drunc's process-manager settings the session was rendered
	// with: pod_ready_timeout, checking.service_startup_timeout,
	// checking.socket_retry_timeout, cleanup.restart_cleanup_time.
	Settings *pmconfig.Settings
	// Source is where the configuration came from, kept in the session
	// record: a boot of another source into the session is refused.
	Source sessionrecord.Source

	// Wait: after creating, wait until every process is Ready.
	Wait bool
	// Timeout bounds all waiting of the run (gates and the final wait);
	// 0 leaves only the settings' per-gate bounds and ctx.
	Timeout time.Duration
	// Probe checks that the LCS answers HTTP and the root controller accepts
	// TCP on <node address>:<node port>. Off for clusters whose node
	// addresses the plugin cannot reach. A process on a kwok fake node is
	// not probed (nothing runs there; the progress says so) unless
	// ProbeFakeNodes.
	Probe          bool
	ProbeFakeNodes bool
	// Rollback deletes what this run created when not every process became
	// Ready (or the run was interrupted).
	Rollback bool
	// DrawnUUIDs are the processes whose uuid the renderer drew (neither the
	// configuration nor the session had one): in an existing session their
	// uuid is not compared, since another boot may have drawn another.
	DrawnUUIDs map[string]bool
	// Replace: in an existing session, kill and create again the processes
	// whose pods differ from the configuration (without it, the run stops
	// with a *ChangedError before any write).
	Replace bool
	// MaxInFlight bounds concurrent creates (0 = DefaultMaxInFlight).
	MaxInFlight int

	// Progress receives the progress lines (stderr); nil discards them.
	Progress io.Writer
	// Live rewrites one line per stage (a terminal) instead of printing
	// plain lines.
	Live bool
}

func (c *Config) complete() error {
	switch {
	case c.Client == nil:
		return errors.New("bootexec: Config.Client is nil")
	case c.Objects == nil || c.Objects.Namespace == nil:
		return errors.New("bootexec: Config.Objects is empty")
	case c.MaxInFlight < 0:
		return errors.New("--max-in-flight must be 1 or more")
	}
	if c.Settings == nil {
		c.Settings = pmconfig.Default()
	}
	if c.MaxInFlight == 0 {
		c.MaxInFlight = DefaultMaxInFlight
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// gateTimeout bounds the wait for the LCS or the root controller: Ready,
// then reachable, as drunc bounds them.
func (c *Config) gateTimeout() time.Duration {
	return time.Duration(c.Settings.PodReadyTimeout)*time.Second + seconds(c.Settings.Checking.ServiceStartupTimeout)
}

// retryInterval is drunc's checking.socket_retry_timeout: the pause between
// two reachability attempts.
func (c *Config) retryInterval() time.Duration {
	if d := seconds(c.Settings.Checking.SocketRetryTimeout); d > 0 {
		return d
	}
	return time.Second
}
