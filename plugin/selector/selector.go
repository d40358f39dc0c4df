package selector

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/cli"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Options are the selection flags as typed.
type Options struct {
	AllNamespaces bool
	// Names are regular expressions; a process matches if any is found in
	// its name (re.search semantics).
	Names []string
	Users []string
	UUIDs []string
	Roles []string
	// Hosts are node names: a process matches if it is pinned to, or runs
	// on, one of them (the HOST column).
	Hosts    []string
	Selector string // -l, extra label selector
	// LabelDomain is --drunc-label ("" = drunc.daq).
	LabelDomain string
}

// Selector is a compiled selection.
type Selector struct {
	keys     session.LabelKeys
	names    []*regexp.Regexp
	users    []string
	uuids    []string
	roles    []string
	hosts    []string
	labels   labels.Selector
	selector string
}

// Roles lists what --role accepts.
var Roles = []session.Role{
	session.RoleRootController, session.RoleSegmentController, session.RoleApplication,
	session.RoleInfrastructure, session.RoleUnknown,
}

// Compiled checks --drunc-label and compiles the options with its keys.
func (o *Options) Compiled() (*Selector, error) {
	if o.LabelDomain != "" {
		if err := cli.CheckLabelDomainFlag(o.LabelDomain); err != nil {
			return nil, err
		}
	}
	return o.Compile(session.Keys(o.LabelDomain))
}

// Keys are the label keys the selection was compiled with.
func (s *Selector) Keys() session.LabelKeys { return s.keys }

// Compile checks and compiles the options with these label keys; errors
// name the flag and value.
func (o *Options) Compile(keys session.LabelKeys) (*Selector, error) {
	s := &Selector{keys: keys, users: o.Users, uuids: o.UUIDs, hosts: o.Hosts, selector: o.Selector, labels: labels.Everything()}
	for _, n := range o.Names {
		re, err := regexp.Compile(n)
		if err != nil {
			return nil, fmt.Errorf("process name %q is not a valid regular expression: %v", n, unwrapRegexp(err))
		}
		s.names = append(s.names, re)
	}
	for _, r := range o.Roles {
		if !slices.Contains(Roles, session.Role(r)) {
			return nil, fmt.Errorf("--role %q is not a drunc role; use one of %s", r, roleList())
		}
		s.roles = append(s.roles, r)
	}
	if o.Selector != "" {
		sel, err := labels.Parse(o.Selector)
		if err != nil {
			return nil, fmt.Errorf("-l/--selector %q is not a valid label selector: %v", o.Selector, err)
		}
		s.labels = sel
	}
	return s, nil
}

func unwrapRegexp(err error) string {
	if e, ok := err.(*syntax.Error); ok {
		return fmt.Sprintf("%s in %q", e.Code, e.Expr)
	}
	return err.Error()
}

func roleList() string { return strings.Join(roleWords(), ", ") }

func roleWords() []string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return names
}

// Narrow sets what the shared informer needs of the selection: the -l text
// (applied on the server) and the label domain whose pods are processes.
// Verbs pass their cache configuration through it, so none can watch one
// domain while selecting in another.
func (s *Selector) Narrow(cfg informers.Config) informers.Config {
	cfg.Selector = s.selector
	cfg.LabelDomain = s.keys.Domain
	return cfg
}

// Filtered reports whether anything beyond the session scope narrows the
// selection; destructive verbs require it (or -n/-A explicitly).
func (s *Selector) Filtered() bool {
	return len(s.names) > 0 || len(s.users) > 0 || len(s.uuids) > 0 || len(s.roles) > 0 || len(s.hosts) > 0 || s.selector != ""
}

// Matches reports whether the pod is selected (the session scope is the
// cache's, not checked here).
func (s *Selector) Matches(pod *corev1.Pod) bool {
	if !s.labels.Matches(labels.Set(pod.Labels)) {
		return false
	}
	if len(s.names) > 0 && !slices.ContainsFunc(s.names, func(re *regexp.Regexp) bool { return re.MatchString(pod.Name) }) {
		return false
	}
	if len(s.uuids) > 0 && !slices.Contains(s.uuids, pod.Labels[s.keys.UUID()]) {
		return false
	}
	if len(s.roles) == 0 && len(s.users) == 0 && len(s.hosts) == 0 {
		return true
	}
	v := process.FromPod(pod, s.keys)
	if len(s.roles) > 0 && !slices.Contains(s.roles, string(v.Role)) {
		return false
	}
	if len(s.users) > 0 && !slices.Contains(s.users, v.User) {
		return false
	}
	return len(s.hosts) == 0 || slices.Contains(s.hosts, v.Host)
}

// Select returns the matching pods, in the order given.
func (s *Selector) Select(pods []*corev1.Pod) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range pods {
		if s.Matches(p) {
			out = append(out, p)
		}
	}
	return out
}
