package boot

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// Print writes the objects in creation order: the namespace, then each
// process's pod and service in boot order. yaml is a multi-document
// stream, json a v1 List (both accepted by kubectl apply -f), name is
// kubectl's KIND/NAME, and the default is kubectl's "created (dry run)".
func Print(w io.Writer, objs *podspec.Objects, format string) error {
	list := []runtime.Object{objs.Namespace}
	for _, p := range objs.Processes {
		list = append(list, p.Pod, p.Service)
	}
	var b strings.Builder
	switch format {
	case "yaml":
		for i, obj := range list {
			out, err := yaml.Marshal(printable(obj))
			if err != nil {
				return err
			}
			if i > 0 {
				b.WriteString("---\n")
			}
			b.Write(out)
		}
	case "json":
		items := make([]any, len(list))
		for i, obj := range list {
			items[i] = printable(obj)
		}
		out, err := json.MarshalIndent(map[string]any{
			"apiVersion": "v1", "kind": "List", "metadata": map[string]any{}, "items": items,
		}, "", "    ")
		if err != nil {
			return err
		}
		b.Write(out)
		b.WriteByte('\n')
	default:
		for _, obj := range list {
			m := printable(obj)
			name := m["metadata"].(map[string]any)["name"]
			kind := strings.ToLower(fmt.Sprint(m["kind"]))
			if format == "name" {
				fmt.Fprintf(&b, "%s/%s\n", kind, name)
			} else {
				fmt.Fprintf(&b, "%s/%s created (dry run)\n", kind, name)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// allEmpty: a map whose values are all empty maps (a Service's
// status: {loadBalancer: {}}).
func allEmpty(m map[string]any) bool {
	for _, v := range m {
		if sub, ok := v.(map[string]any); !ok || len(sub) > 0 {
			return false
		}
	}
	return true
}

// printable is the object as a JSON map without the fields only a server
// sets (creationTimestamp: null, empty status, a Namespace's empty spec), which would only add noise.
func printable(obj runtime.Object) map[string]any {
	raw, _ := json.Marshal(obj)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	if md, ok := m["metadata"].(map[string]any); ok && md["creationTimestamp"] == nil {
		delete(md, "creationTimestamp")
	}
	for _, k := range []string{"spec", "status"} {
		if v, ok := m[k].(map[string]any); ok && allEmpty(v) {
			delete(m, k)
		}
	}
	if spec, ok := m["spec"].(map[string]any); ok {
		if cs, ok := spec["containers"].([]any); ok {
			for _, c := range cs {
				if cm, ok := c.(map[string]any); ok {
					if r, ok := cm["resources"].(map[string]any); ok && len(r) == 0 {
						delete(cm, "resources")
					}
				}
			}
		}
	}
	return m
}
