// This file is a port of the object sorting of k8s.io/kubectl v0.37.2
// pkg/cmd/get/sorter.go and get.go's RuntimeSorter (Copyright 2014 The
// Kubernetes Authors, Apache License 2.0): kubectl get --sort-by over a
// list of objects, so that the plugin need not import that package (see
// getflags.go). Two changes: each object's value is read once rather than
// at every comparison, and a value that cannot be read (an index out of
// range) or ordered (a map, a bool) is an error rather than kubectl's exit
// from inside the sort. The order is otherwise kubectl's: the same
// comparison, by the same sort.Sort.

package printers

import (
	"fmt"
	"reflect"
	"sort"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/util/jsonpath"
)

// SortByJSONPath orders objects (typed, or unstructured) as kubectl get
// --sort-by orders a list: by the first value the JSONPath (relaxed, see
// RelaxedJSONPathExpression) finds in each, objects without one first. It
// returns the original index of each object in the sorted order. It fails
// when the path is invalid, found in none of the objects, or finds values
// that cannot be ordered. Like kubectl, it checks nothing for fewer than
// two objects.
func SortByJSONPath(objs []runtime.Object, sortBy string) ([]int, error) {
	order := make([]int, len(objs))
	for i := range order {
		order[i] = i
	}
	if len(objs) < 2 {
		return order, nil
	}
	field, err := RelaxedJSONPathExpression(sortBy)
	if err != nil {
		return nil, err
	}
	parser := jsonpath.New("sorting").AllowMissingKeys(true)
	if err := parser.Parse(field); err != nil {
		return nil, err
	}
	s := &runtimeSort{order: order, values: make([]*reflect.Value, len(objs))}
	found := false
	for i, obj := range objs {
		values, err := findJSONPathResults(parser, obj)
		if err != nil {
			return nil, err
		}
		if len(values) > 0 && len(values[0]) > 0 {
			s.values[i], found = &values[0][0], true
		}
	}
	if !found {
		return nil, fmt.Errorf("couldn't find any field with path %q in the list of objects", field)
	}
	sort.Sort(s)
	if s.err != nil {
		return nil, fmt.Errorf("field %s cannot be sorted: %v", field, s.err)
	}
	return s.order, nil
}

func findJSONPathResults(parser *jsonpath.JSONPath, from runtime.Object) ([][]reflect.Value, error) {
	if u, ok := from.(runtime.Unstructured); ok {
		return parser.FindResults(u.UnstructuredContent())
	}
	return parser.FindResults(reflect.ValueOf(from).Elem().Interface())
}

// runtimeSort is kubectl's RuntimeSort over values read beforehand: nil is
// an object without the field.
type runtimeSort struct {
	order  []int
	values []*reflect.Value
	err    error // the first comparison that failed
}

func (r *runtimeSort) Len() int { return len(r.values) }

func (r *runtimeSort) Swap(i, j int) {
	r.values[i], r.values[j] = r.values[j], r.values[i]
	r.order[i], r.order[j] = r.order[j], r.order[i]
}

func (r *runtimeSort) Less(i, j int) bool {
	if r.values[i] == nil {
		return true
	}
	if r.values[j] == nil {
		return false
	}
	less, err := isLess(*r.values[i], *r.values[j])
	if err != nil && r.err == nil {
		r.err = err
	}
	return less
}

func isLess(i, j reflect.Value) (bool, error) {
	switch i.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return i.Int() < j.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return i.Uint() < j.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return i.Float() < j.Float(), nil
	case reflect.String:
		return i.String() < j.String(), nil
	case reflect.Pointer:
		return isLess(i.Elem(), j.Elem())
	case reflect.Struct:
		return isLessStruct(i, j)
	case reflect.Array, reflect.Slice:
		// The lengths may differ.
		for idx := 0; idx < min(i.Len(), j.Len()); idx++ {
			less, err := isLess(i.Index(idx), j.Index(idx))
			if err != nil || !less {
				return less, err
			}
		}
		return true, nil
	case reflect.Interface:
		switch {
		case i.IsNil() && j.IsNil():
			return false, nil
		case i.IsNil():
			return true, nil
		case j.IsNil():
			return false, nil
		}
		return isLessInterface(i.Interface(), j.Interface())
	}
	return false, fmt.Errorf("unsortable type: %v", i.Kind())
}

// isLessStruct orders times and quantities by value, other structs field
// by field.
func isLessStruct(i, j reflect.Value) (bool, error) {
	in := i.Interface()
	if t, ok := in.(metav1.Time); ok {
		other := j.Interface().(metav1.Time)
		return t.Before(&other), nil
	}
	if q, ok := in.(resource.Quantity); ok {
		return q.Cmp(j.Interface().(resource.Quantity)) < 0, nil
	}
	for idx := 0; idx < i.NumField(); idx++ {
		less, err := isLess(i.Field(idx), j.Field(idx))
		if err != nil || !less {
			return less, err
		}
	}
	return true, nil
}

// isLessInterface orders the values of an unstructured object: numbers of
// the same type, and strings (as quantities when both are one).
func isLessInterface(i, j any) (bool, error) {
	switch iv := i.(type) {
	case uint8:
		return lessIfSame(iv, j)
	case uint16:
		return lessIfSame(iv, j)
	case uint32:
		return lessIfSame(iv, j)
	case uint64:
		return lessIfSame(iv, j)
	case int8:
		return lessIfSame(iv, j)
	case int16:
		return lessIfSame(iv, j)
	case int32:
		return lessIfSame(iv, j)
	case int64:
		return lessIfSame(iv, j)
	case uint:
		return lessIfSame(iv, j)
	case int:
		return lessIfSame(iv, j)
	case float32:
		return lessIfSame(iv, j)
	case float64:
		return lessIfSame(iv, j)
	case string:
		jv, ok := j.(string)
		if !ok {
			return false, fmt.Errorf("unsortable interface: %v", reflect.Interface)
		}
		iq, err := resource.ParseQuantity(iv)
		if err != nil {
			return iv < jv, nil
		}
		jq, err := resource.ParseQuantity(jv)
		if err != nil {
			return iv < jv, nil
		}
		return iq.Cmp(jq) < 0, nil
	}
	return false, fmt.Errorf("unsortable type: %T", i)
}

func lessIfSame[T uint8 | uint16 | uint32 | uint64 | int8 | int16 | int32 | int64 | uint | int | float32 | float64](i T, j any) (bool, error) {
	if jv, ok := j.(T); ok {
		return i < jv, nil
	}
	return false, fmt.Errorf("unsortable interface: %v", reflect.Interface)
}
