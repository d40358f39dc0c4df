package logtail

import (
	"context"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// engine is one run of the logs engine.
type engine struct {
	cfg Config
	out *output
	fmt formatter
}

// Run prints the logs of the selected processes as configured; with Follow
// it returns when ctx ends (nil). Problems with single processes (not
// started, pod gone, a refused request) are notes on Err; the error
// returned says how many processes could not be read.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	e := &engine{
		cfg: cfg,
		out: newOutput(cfg.Out, cfg.Err, cfg.Follow),
		fmt: formatter{prefix: cfg.Prefix, timestamps: cfg.Timestamps, grep: cfg.Grep, color: cfg.Color,
			include: cfg.Include, exclude: cfg.Exclude, json: cfg.Format == FormatJSON},
	}
	if cfg.Follow {
		return e.follow(ctx)
	}
	return e.fetch(ctx)
}

// Selected returns the selected pods of the cache, by session and name.
func (c *Config) Selected() []*corev1.Pod {
	var pods []*corev1.Pod
	for _, p := range c.Cache.Pods() {
		if c.selects(p) {
			pods = append(pods, p)
		}
	}
	sort.Slice(pods, func(i, j int) bool { return procName(pods[i]) < procName(pods[j]) })
	return pods
}

// notStarted is the note for a process whose container never ran.
func notStarted(pod *corev1.Pod) string {
	return fmt.Sprintf("no logs yet: the process has not started (%s)", process.Status(pod))
}

// FailedError says how many processes' logs could not be read (each was
// named in a note).
type FailedError struct{ Failed, Total int }

func (e *FailedError) Error() string {
	return fmt.Sprintf("could not read the logs of %d of %d processes (see the messages above)", e.Failed, e.Total)
}
