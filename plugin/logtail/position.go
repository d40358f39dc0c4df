package logtail

import (
	"maps"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// position is how far one pod's log has been printed, so that a stream
// reopened after a drop resumes exactly after the last printed line.
//
// The kubelet's sinceTime is inclusive and the API carries it with second
// precision, so a reopened stream repeats the lines of the last second:
// those older than the last printed line are skipped by time, and those
// with the same timestamp by content, as many times as each was printed.
// The stream replays the log in order, so the first line that is new
// means every later one is new too.
type position struct {
	last     time.Time      // timestamp of the last printed line
	atLast   map[string]int // lines printed with exactly that timestamp
	skip     map[string]int // what a resumed stream must skip at last
	skipping bool           // a resumed stream has not passed the boundary
}

// accept tells whether a line read from the stream is new, and records it.
func (p *position) accept(l Line) bool {
	if l.Time.IsZero() {
		// Without a timestamp there is nothing to compare: print it.
		return true
	}
	if p.skipping {
		if l.Time.Before(p.last) {
			return false
		}
		if l.Time.Equal(p.last) && p.skip[l.Text] > 0 {
			p.skip[l.Text]--
			return false
		}
		p.skipping = false
	}
	if !l.Time.Equal(p.last) {
		p.last = l.Time
		p.atLast = map[string]int{}
	}
	p.atLast[l.Text]++
	return true
}

// resume returns the options of a stream reopened after a drop: from the
// last printed line's second on, or the original options when nothing
// was printed yet.
func (p *position) resume(initial corev1.PodLogOptions) corev1.PodLogOptions {
	if p.last.IsZero() {
		return initial
	}
	p.skipping = true
	p.skip = maps.Clone(p.atLast)
	return corev1.PodLogOptions{
		Container:  initial.Container,
		Follow:     initial.Follow,
		Timestamps: true,
		SinceTime:  &metav1.Time{Time: p.last},
	}
}
