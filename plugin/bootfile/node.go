package bootfile

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder fills Go values from a YAML node tree, strictly: every unknown
// field, wrong type and duplicate key is recorded (with its line) and
// decoding goes on, so one run reports every problem. It also records the
// line of every field path, so later validation errors can point at lines.
type decoder struct {
	problems []Problem
	lines    map[string]int
	values   int // decoded so far, bounded: YAML aliases can multiply them
}

// maxValues bounds the values one file may expand to (a session of a few
// thousand processes needs well under this).
const maxValues = 1 << 18

func (d *decoder) fail(n *yaml.Node, path, format string, a ...any) {
	d.problems = append(d.problems, Problem{Line: n.Line, Field: path, Detail: fmt.Sprintf(format, a...)})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if d.values++; d.values == maxValues {
		d.fail(n, path, "the file expands to more than %d values (through YAML aliases?)", maxValues)
	}
	if d.values >= maxValues {
		return
	}
	if d.lines[path] == 0 {
		d.lines[path] = n.Line
	}
	switch v.Kind() {
	case reflect.Struct:
		d.structure(n, v, path)
	case reflect.Slice:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, path, "must be a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map:
		if isNull(n) {
			return
		}
		if n.Kind != yaml.MappingNode {
			d.fail(n, path, "must be a mapping of names to values, got %s", describe(n))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				d.fail(k, path, "keys must be plain names, got %s", describe(k))
				continue
			}
			if seen[k.Value] {
				d.fail(k, join(path, k.Value), "is given twice")
			}
			seen[k.Value] = true
			elem := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, elem, join(path, k.Value))
			m.SetMapIndex(reflect.ValueOf(k.Value), elem)
		}
		v.Set(m)
	case reflect.String:
		// Any scalar is taken as its literal text: `--port 3333` may be
		// written `[--port, 3333]`, and "0.10" stays "0.10".
		if n.Kind != yaml.ScalarNode || isNull(n) {
			d.fail(n, path, "must be a string, got %s (quote it)", describe(n))
			return
		}
		v.SetString(n.Value)
	default:
		d.fail(n, path, "unsupported field type %s", v.Type())
	}
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "must be a mapping (fields: %s), got %s", strings.Join(fieldNames(v.Type()), ", "), describe(n))
		return
	}
	fields := map[string]int{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		fields[jsonName(t.Field(i))] = i
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		fp := join(path, k.Value)
		idx, ok := fields[k.Value]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.fail(k, path, "keys must be plain names, got %s", describe(k))
		case !ok:
			d.fail(k, fp, "unknown field %q (known fields: %s)", k.Value, strings.Join(fieldNames(t), ", "))
		case seen[k.Value]:
			d.fail(k, fp, "is given twice")
		default:
			seen[k.Value] = true
			d.lines[fp] = k.Line
			d.decode(val, v.Field(idx), fp)
		}
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

func fieldNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		names = append(names, jsonName(t.Field(i)))
	}
	sort.Strings(names)
	return names
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected YAML node"
}
