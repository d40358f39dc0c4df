package logs

import (
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
)

func options() *Options {
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	return &Options{f: cli.NewFactory(streams), Tail: 100, MaxRequests: 5}
}

func TestValidateRejectsBadFlags(t *testing.T) {
	cases := []struct {
		name string
		set  func(o *Options)
		want string
	}{
		{"max", func(o *Options) { o.MaxRequests = 0 }, "--max-log-requests must be at least 1"},
		{"since negative", func(o *Options) { o.Since = -time.Second }, "--since must be a positive duration"},
		{"tail below -1", func(o *Options) { o.Tail = -5 }, "--tail must be a number of lines, or -1 for all, not -5"},
		{"since twice", func(o *Options) { o.Since = time.Minute; o.SinceTime = "2026-05-01T10:00:00Z" }, "cannot be used together"},
		{"since-time", func(o *Options) { o.SinceTime = "yesterday" }, `--since-time "yesterday" is not an RFC 3339 time`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := options()
			c.set(o)
			err := o.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, c.want)
			}
		})
	}
	o := options()
	o.SinceTime = "2026-05-01T10:00:00Z"
	if err := o.Validate(); err != nil || !o.sinceTime.Equal(time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("--since-time: err %v, time %v", err, o.sinceTime)
	}
}

func TestPrefixDefault(t *testing.T) {
	cases := []struct {
		namespace         string
		follow, set, flag bool
		selected          int
		want              bool
	}{
		{namespace: "s", selected: 1, want: false},
		{namespace: "s", selected: 2, want: true},
		{namespace: "", selected: 1, want: true},                 // -A: sessions differ
		{namespace: "s", follow: true, selected: 0, want: true},  // may pick up several
		{namespace: "s", follow: true, selected: 1, want: false}, // one process, also after restarts
		{namespace: "s", selected: 3, set: true, flag: false, want: false},
		{namespace: "s", selected: 1, set: true, flag: true, want: true},
	}
	for _, c := range cases {
		o := &Options{Follow: c.follow, prefixSet: c.set, Prefix: c.flag}
		o.Select.Namespace = c.namespace
		if got := o.prefix(c.selected); got != c.want {
			t.Errorf("%+v: prefix = %v, want %v", c, got, c.want)
		}
	}
}
