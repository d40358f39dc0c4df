package pmconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
)

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func (p *parser) object(key string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		p.errorf(key, "must be an object, got %s", typeName(v))
	}
	return m, ok
}

func (p *parser) str(key string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		p.errorf(key, "must be a string, got %s", typeName(v))
	}
	return s, ok
}

func (p *parser) integer(key string, v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		p.errorf(key, "must be an integer, got %s", typeName(v))
		return 0, false
	}
	i, err := n.Int64()
	if err != nil {
		p.errorf(key, "must be an integer, got %s", n)
		return 0, false
	}
	return i, true
}

// number returns a setter for a non-negative number of seconds.
func (p *parser) number(dst *float64) func(string, any) {
	return func(key string, v any) {
		n, ok := v.(json.Number)
		if !ok {
			p.errorf(key, "must be a number of seconds, got %s", typeName(v))
			return
		}
		f, err := n.Float64()
		if err != nil || f < 0 {
			p.errorf(key, "must be a non-negative number of seconds, got %s", n)
			return
		}
		*dst = f
	}
}

// seconds returns a setter for whole seconds; drunc accepts fractions
// (10.5), Kubernetes grace periods are whole seconds, so round up.
func (p *parser) seconds(dst *int) func(string, any) {
	return func(key string, v any) {
		var f float64
		p.number(&f)(key, v)
		if f > math.MaxInt32 {
			p.errorf(key, "%v seconds is too long", f)
			return
		}
		*dst = int(math.Ceil(f))
	}
}

func (p *parser) volumes(key string, v any) {
	list, ok := v.([]any)
	if !ok {
		p.errorf(key, "must be a list, got %s", typeName(v))
		return
	}
	seen := map[string]bool{}
	for i, item := range list {
		ikey := fmt.Sprintf("%s[%d]", key, i)
		vol := Volume{ReadOnly: true}
		p.fields(ikey, item, map[string]func(string, any){
			"name":       p.strInto(&vol.Name),
			"mount_path": p.strInto(&vol.MountPath),
			"host_path":  p.strInto(&vol.HostPath),
			"read_only": func(k string, v any) {
				b, ok := v.(bool)
				if !ok {
					p.errorf(k, "must be a boolean, got %s", typeName(v))
				}
				vol.ReadOnly = b
			},
		})
		if _, isObj := item.(map[string]any); !isObj {
			continue
		}
		for _, msg := range validation.IsDNS1123Label(vol.Name) {
			p.errorf(ikey+".name", "%q is not a valid volume name: %s", vol.Name, msg)
		}
		if seen[vol.Name] {
			p.errorf(ikey+".name", "volume %q is listed twice", vol.Name)
		}
		seen[vol.Name] = true
		p.absPath(ikey+".mount_path", vol.MountPath)
		p.absPath(ikey+".host_path", vol.HostPath)
		p.s.Volumes = append(p.s.Volumes, vol)
	}
}

func (p *parser) strInto(dst *string) func(string, any) {
	return func(key string, v any) {
		if s, ok := p.str(key, v); ok {
			*dst = s
		}
	}
}

func (p *parser) absPath(key, s string) {
	if err := CheckAbsPath(s); err != nil {
		p.errorf(key, "%v", err)
	}
}

// CheckAbsPath accepts a clean absolute path: hostPath volumes are mounted
// at the same path, so a relative or `..` path is a mistake.
func CheckAbsPath(s string) error {
	switch {
	case s == "":
		return errors.New("must be set (an absolute path)")
	case !strings.HasPrefix(s, "/"):
		return fmt.Errorf("must be an absolute path, got %q", s)
	case path.Clean(s) != s && path.Clean(s)+"/" != s:
		return fmt.Errorf("must be a clean path (no '.', '..' or '//'), got %q", s)
	}
	return nil
}

func (p *parser) hostConfigs(key string, v any) {
	m, ok := p.object(key, v)
	if !ok {
		return
	}
	p.s.HostConfigs = map[string]HostConfig{}
	each(m, func(host string, hv any) {
		hkey := key + "." + host
		var hc HostConfig
		p.fields(hkey, hv, map[string]func(string, any){
			"limits":   p.quantities(&hc.Limits),
			"requests": p.quantities(&hc.Requests),
		})
		p.s.HostConfigs[host] = hc
	})
}

// quantities reads a resource map; drunc stringifies values, so numbers
// (cpu: 8) are accepted as well as strings ("64Gi").
func (p *parser) quantities(dst *map[string]string) func(string, any) {
	return func(key string, v any) {
		m, ok := p.object(key, v)
		if !ok {
			return
		}
		out := map[string]string{}
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			rkey := key + "." + name
			var s string
			switch q := m[name].(type) {
			case string:
				s = q
			case json.Number:
				s = q.String()
			default:
				p.errorf(rkey, "must be a resource quantity such as \"8\" or \"64Gi\", got %s", typeName(q))
				continue
			}
			if _, err := resource.ParseQuantity(s); err != nil {
				p.errorf(rkey, "%q is not a resource quantity (e.g. \"8\", \"500m\", \"64Gi\")", s)
				continue
			}
			out[name] = s
		}
		*dst = out
	}
}

// jsonSyntaxError turns a decoder error into one with a line and column.
func jsonSyntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var off int64 = -1
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		return errors.New("the configuration must be a JSON object")
	}
	if off < 0 {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	line, col := 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: not valid JSON: %v", line, col, err)
}
