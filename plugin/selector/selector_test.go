package selector

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

func pod(name, tree, user, uuid string, extra map[string]string) *corev1.Pod {
	k := session.Keys("")
	l := map[string]string{k.Creator(): session.CreatorValue, k.TreeID(): tree, k.UUID(): uuid, session.AppLabel: name}
	for a, b := range extra {
		l[a] = b
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "s", Labels: l},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: name, Env: []corev1.EnvVar{{Name: "USER", Value: user}}}}},
	}
}

func TestMatches(t *testing.T) {
	pods := []*corev1.Pod{
		pod("root-controller", "0", "alice", "u0", nil),
		pod("ru-01", "0.0.0", "alice", "u1", map[string]string{"tier": "readout"}),
		pod("ru-02", "0.0.1", "bob", "u2", map[string]string{"tier": "readout"}),
		pod("df-01", "0.0.2", "alice", "u3", nil),
		pod("local-connection-server", "1", "alice", "u4", nil),
	}
	cases := []struct {
		opts Options
		want string
	}{
		{Options{}, "root-controller ru-01 ru-02 df-01 local-connection-server"},
		{Options{Names: []string{"ru"}}, "ru-01 ru-02"}, // searched, not anchored
		{Options{Names: []string{"^ru-01$", "df"}}, "ru-01 df-01"},
		{Options{Names: []string{"ru"}, Users: []string{"bob"}}, "ru-02"},
		{Options{UUIDs: []string{"u0", "u3"}}, "root-controller df-01"},
		{Options{Roles: []string{"application"}, Selector: "tier=readout"}, "ru-01 ru-02"},
		{Options{Roles: []string{"root-controller", "infrastructure-applications"}}, "root-controller local-connection-server"},
		{Options{Selector: "tier!=readout", Users: []string{"alice"}, Names: []string{"o"}}, "root-controller local-connection-server"},
	}
	for _, c := range cases {
		s, err := c.opts.Compile(session.Keys(""))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range s.Select(pods) {
			got = append(got, p.Name)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%+v selected %v, want %s", c.opts, got, c.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		opts Options
		want string
	}{
		{Options{Names: []string{"ru-("}}, `process name "ru-(" is not a valid regular expression: missing closing )`},
		{Options{Roles: []string{"controller"}}, `--role "controller" is not a drunc role; use one of root-controller`},
		{Options{Selector: "a in (b"}, `-l/--selector "a in (b" is not a valid label selector`},
	}
	for _, c := range cases {
		_, err := c.opts.Compile(session.Keys(""))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want it to contain %q", c.opts, err, c.want)
		}
	}
}

// TestCompiledUsesTheLabelDomain: --drunc-label chooses the keys roles and
// uuids are read from; a domain that cannot end a label key is refused,
// naming the flag.
func TestCompiledUsesTheLabelDomain(t *testing.T) {
	o := Options{LabelDomain: "daq.example.org", Roles: []string{"application"}}
	sel, err := o.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	if got := sel.Keys().Role(); got != "role.daq.example.org" {
		t.Errorf("role key %q", got)
	}
	if got := (&Options{}).mustCompile(t).Keys().Creator(); got != "creator.drunc.daq" {
		t.Errorf("default creator key %q", got)
	}
	for _, bad := range []string{"a/b", "has space", strings.Repeat("x", 60)} {
		if _, err := (&Options{LabelDomain: bad}).Compiled(); err == nil || !strings.Contains(err.Error(), "--drunc-label") {
			t.Errorf("--drunc-label=%q: err %v", bad, err)
		}
	}
}

func (o *Options) mustCompile(t *testing.T) *Selector {
	t.Helper()
	s, err := o.Compiled()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
