package printers

import (
	"encoding/json"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/printers"
)

// CheckObjectsFormat validates an -o value for PrintObjects.
func CheckObjectsFormat(format string) error {
	switch format {
	case "", "yaml", "json", "name":
		return nil
	}
	return fmt.Errorf("--output %q is not supported; use yaml, json or name", format)
}

// PrintObjects prints objects that are (or would be) created, in the given
// order, with kubectl's printers: yaml is a multi-document stream, json a
// v1 List (both accepted by kubectl apply -f), name is KIND/NAME, and ""
// is KIND/NAME followed by operation (kubectl's "created (dry run)").
// Fields only a server sets, empty here (creationTimestamp: null, an empty
// status), are left out: they would only add noise.
func PrintObjects(w io.Writer, objs []runtime.Object, format, operation string) error {
	items := make([]*unstructured.Unstructured, len(objs))
	for i, obj := range objs {
		m, err := printable(obj)
		if err != nil {
			return err
		}
		items[i] = &unstructured.Unstructured{Object: m}
	}
	var p printers.ResourcePrinter
	switch format {
	case "yaml":
		p = &printers.YAMLPrinter{}
	case "json":
		list := make([]any, len(items))
		for i, u := range items {
			list[i] = u.Object
		}
		return (&printers.JSONPrinter{}).PrintObj(&unstructured.Unstructured{Object: map[string]any{
			"apiVersion": "v1", "kind": "List", "metadata": map[string]any{}, "items": list,
		}}, w)
	case "name":
		p = &printers.NamePrinter{}
	default:
		p = &printers.NamePrinter{Operation: operation}
	}
	for _, u := range items {
		if err := p.PrintObj(u, w); err != nil {
			return err
		}
	}
	return nil
}

// printable is the object as a JSON map without the fields only a server
// sets (creationTimestamp: null, empty status, a Namespace's empty spec,
// a container's empty resources).
func printable(obj runtime.Object) (map[string]any, error) {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if md, ok := m["metadata"].(map[string]any); ok && md["creationTimestamp"] == nil {
		delete(md, "creationTimestamp")
	}
	for _, k := range []string{"spec", "status"} {
		if v, ok := m[k].(map[string]any); ok && allEmpty(v) {
			delete(m, k)
		}
	}
	spec, _ := m["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	for _, c := range containers {
		if cm, ok := c.(map[string]any); ok {
			if r, ok := cm["resources"].(map[string]any); ok && len(r) == 0 {
				delete(cm, "resources")
			}
		}
	}
	return m, nil
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
