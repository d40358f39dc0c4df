package sessiondiff

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/dunesession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// renderedDemo renders the DUNE-like session: connection server, root
// controller, segment controllers, readout and dataflow applications.
func renderedDemo(t *testing.T, n int, uuid func() string) *podspec.Objects {
	t.Helper()
	s, st, err := dunesession.Session("demo", n)
	if err != nil {
		t.Fatal(err)
	}
	uid, gid := int64(1000), int64(1001)
	objs, err := podspec.Render(s, st, podspec.Options{RunAsUser: &uid, RunAsGroup: &gid, UUID: uuid})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// ignoredPaths are the rendered fields the comparison leaves out on
// purpose (see the package doc).
var ignoredPaths = []string{
	"apiVersion", "kind", "metadata.name", "metadata.namespace",
	"metadata.annotations." + session.BootRecordAnnotation,
	"metadata.ownerReferences", // the service's owner: the pod of the day
}

// TestEveryRenderedFieldIsCompared: changing any field the renderer sets,
// in any kind of process, is a difference, except the ignored ones. So
// the comparison is derived from what the renderer writes, and a new
// rendered field fails this test until it is compared or ignored on
// purpose.
func TestEveryRenderedFieldIsCompared(t *testing.T) {
	objs := renderedDemo(t, 14, func() string { return "6f1c1d5e-9a55-4d6b-9a3c-2f7b8c0d1e2f" })
	keys := session.Keys("")
	checked := 0
	for _, r := range objs.Processes {
		for _, leaf := range leaves(t, r.Pod) {
			if ignored(leaf.path) {
				continue
			}
			changed := &corev1.Pod{}
			mutate(t, r.Pod, leaf.path, changed)
			if len(Diff(r.Pod, changed, keys, "pod")) == 0 || len(Diff(changed, r.Pod, keys, "pod")) == 0 {
				t.Errorf("%s: changing pod %s is not a difference", r.Process.Name, leaf.path)
			}
			checked++
		}
		for _, leaf := range leaves(t, r.Service) {
			if ignored(leaf.path) {
				continue
			}
			changed := &corev1.Service{}
			mutate(t, r.Service, leaf.path, changed)
			if len(diffService(r.Service, changed, keys)) == 0 || len(diffService(changed, r.Service, keys)) == 0 {
				t.Errorf("%s: changing service %s is not a difference", r.Process.Name, leaf.path)
			}
			checked++
		}
	}
	t.Logf("%d rendered fields changed one at a time", checked)
	if len(Diff(objs.Processes[3].Pod, objs.Processes[3].Pod.DeepCopy(), keys, "pod")) != 0 {
		t.Error("a pod differs from its copy")
	}
}

func ignored(path string) bool {
	for _, p := range ignoredPaths {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}

type leaf struct {
	path string
	keys []any // map keys and list indexes
}

// leaves lists every scalar in obj's JSON, by path.
func leaves(t *testing.T, obj any) []leaf {
	var m any
	b, _ := json.Marshal(obj)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var out []leaf
	var walk func(v any, path string, keys []any)
	walk = func(v any, path string, keys []any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, strings.TrimPrefix(path+"."+k, "."), append(append([]any{}, keys...), k))
			}
		case []any:
			for i, c := range x {
				walk(c, fmt.Sprintf("%s[%d]", path, i), append(append([]any{}, keys...), i))
			}
		default:
			out = append(out, leaf{path: path, keys: keys})
		}
	}
	walk(m, "", nil)
	return out
}

// mutate decodes into out a copy of obj whose field at path has another
// value of the same type.
func mutate(t *testing.T, obj any, path string, out any) {
	t.Helper()
	var m any
	b, _ := json.Marshal(obj)
	json.Unmarshal(b, &m)
	for _, l := range leaves(t, obj) {
		if l.path != path {
			continue
		}
		parent := m
		for _, k := range l.keys[:len(l.keys)-1] {
			parent = step(parent, k)
		}
		last := l.keys[len(l.keys)-1]
		set(parent, last, other(step(parent, last)))
	}
	b, _ = json.Marshal(m)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func step(v any, k any) any {
	if i, ok := k.(int); ok {
		return v.([]any)[i]
	}
	return v.(map[string]any)[k.(string)]
}

func set(v any, k any, x any) {
	if i, ok := k.(int); ok {
		v.([]any)[i] = x
		return
	}
	v.(map[string]any)[k.(string)] = x
}

// other is another value of v's type; a resource quantity stays one.
func other(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return "x"
		}
		if x[0] >= '0' && x[0] <= '9' {
			return "1" + x
		}
		return x + "x"
	case float64:
		return x + 1
	case bool:
		return !x
	}
	return v
}

// TestUUIDComparedOnlyWhenConfigured: a configuration without uuids
// (rendered with NoUUID) matches pods of any uuid; one that gives a uuid
// differs from a pod with another.
func TestUUIDComparedOnlyWhenConfigured(t *testing.T) {
	keys := session.Keys("")
	live := renderedDemo(t, 3, func() string { return "live-uuid" }).Processes[2].Pod
	if d := Diff(renderedDemo(t, 3, NoUUID).Processes[2].Pod, live, keys, "pod"); len(d) != 0 {
		t.Errorf("no uuid configured, yet: %+v", d)
	}
	d := Diff(renderedDemo(t, 3, func() string { return "other" }).Processes[2].Pod, live, keys, "pod")
	if len(d) != 1 || d[0].Field != "metadata.labels."+keys.UUID() || *d[0].Live != "live-uuid" || *d[0].Desired != "other" {
		t.Errorf("another uuid configured: %+v", d)
	}
}
