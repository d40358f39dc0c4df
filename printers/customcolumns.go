// This file is a port of k8s.io/kubectl v0.37.2 pkg/cmd/get/customcolumn.go
// (Copyright 2014 The Kubernetes Authors, Apache License 2.0): kubectl
// get's -o custom-columns printer and its relaxed JSONPath syntax, so that
// the plugin need not import that package (see getflags.go). Keep its
// output identical to kubectl's.

package printers

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strings"

	"github.com/liggitt/tabwriter"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/printers"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/util/jsonpath"
)

var jsonRegexp = regexp.MustCompile(`^\{\.?([^{}]+)\}$|^\.?([^{}]+)$`)

// RelaxedJSONPathExpression accepts metadata.name, {metadata.name},
// .metadata.name and {.metadata.name}, and returns the complete JSONPath
// expression, {.metadata.name}, as kubectl get's --sort-by and
// custom-columns do.
func RelaxedJSONPathExpression(pathExpression string) (string, error) {
	if len(pathExpression) == 0 {
		return pathExpression, nil
	}
	submatches := jsonRegexp.FindStringSubmatch(pathExpression)
	if submatches == nil {
		return "", fmt.Errorf("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'")
	}
	if len(submatches) != 3 {
		return "", fmt.Errorf("unexpected submatch list: %v", submatches)
	}
	fieldSpec := submatches[2]
	if len(submatches[1]) != 0 {
		fieldSpec = submatches[1]
	}
	return fmt.Sprintf("{.%s}", fieldSpec), nil
}

// Column is one custom column: its header and the JSONPath of its values.
type Column struct {
	Header    string
	FieldSpec string
}

// CustomColumnsPrinter prints the columns of each object, as kubectl get
// -o custom-columns does.
type CustomColumnsPrinter struct {
	Columns   []Column
	NoHeaders bool
	// lastType is the type printed last: the header is not repeated for
	// objects of the same type.
	lastType reflect.Type
}

// NewCustomColumnsPrinterFromSpec parses HEADER:JSONPATH pairs separated by
// commas, e.g. NAME:metadata.name,NODE:.spec.nodeName.
func NewCustomColumnsPrinterFromSpec(spec string, noHeaders bool) (*CustomColumnsPrinter, error) {
	if len(spec) == 0 {
		return nil, fmt.Errorf("custom-columns format specified but no custom columns given")
	}
	parts := strings.Split(spec, ",")
	columns := make([]Column, len(parts))
	for ix := range parts {
		colSpec := strings.SplitN(parts[ix], ":", 2)
		if len(colSpec) != 2 {
			return nil, fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", parts[ix])
		}
		spec, err := RelaxedJSONPathExpression(colSpec[1])
		if err != nil {
			return nil, err
		}
		columns[ix] = Column{Header: colSpec[0], FieldSpec: spec}
	}
	return &CustomColumnsPrinter{Columns: columns, NoHeaders: noHeaders}, nil
}

// customColumnsFromFile reads -o custom-columns-file: a line of headers
// and a line of JSONPaths, both separated by white space.
func customColumnsFromFile(path string) (*CustomColumnsPrinter, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("error reading template %s, %v\n", path, err) //nolint:revive,staticcheck // kubectl's wording
	}
	defer file.Close()
	return NewCustomColumnsPrinterFromTemplate(file)
}

// NewCustomColumnsPrinterFromTemplate reads a line of headers and a line of
// JSONPaths, both separated by white space.
func NewCustomColumnsPrinterFromTemplate(templateReader io.Reader) (*CustomColumnsPrinter, error) {
	scanner := bufio.NewScanner(templateReader)
	if !scanner.Scan() {
		return nil, errors.New("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.") //nolint:revive,staticcheck // kubectl's wording
	}
	headers := strings.Fields(scanner.Text())
	if !scanner.Scan() {
		return nil, errors.New("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.") //nolint:revive,staticcheck // kubectl's wording
	}
	specs := strings.Fields(scanner.Text())
	if len(headers) != len(specs) {
		return nil, fmt.Errorf("number of headers (%d) and field specifications (%d) don't match", len(headers), len(specs))
	}
	columns := make([]Column, len(headers))
	for ix := range headers {
		spec, err := RelaxedJSONPathExpression(specs[ix])
		if err != nil {
			return nil, err
		}
		columns[ix] = Column{Header: headers[ix], FieldSpec: spec}
	}
	return &CustomColumnsPrinter{Columns: columns}, nil
}

// PrintObj prints the object, or each item of a list, as one line.
func (s *CustomColumnsPrinter) PrintObj(obj runtime.Object, out io.Writer) error {
	if printers.InternalObjectPreventer.IsForbidden(reflect.Indirect(reflect.ValueOf(obj)).Type().PkgPath()) {
		return errors.New(printers.InternalObjectPrinterErr)
	}
	if _, found := out.(*tabwriter.Writer); !found {
		w := printers.GetNewTabWriter(out)
		out = w
		defer w.Flush()
	}
	t := reflect.TypeOf(obj)
	if !s.NoHeaders && t != s.lastType {
		headers := make([]string, len(s.Columns))
		for ix := range s.Columns {
			headers[ix] = s.Columns[ix].Header
		}
		fmt.Fprintln(out, strings.Join(headers, "\t"))
		s.lastType = t
	}
	parsers := make([]*jsonpath.JSONPath, len(s.Columns))
	for ix := range s.Columns {
		parsers[ix] = jsonpath.New(fmt.Sprintf("column%d", ix)).AllowMissingKeys(true)
		if err := parsers[ix].Parse(s.Columns[ix].FieldSpec); err != nil {
			return err
		}
	}
	if !meta.IsListType(obj) {
		return s.printOneObject(obj, parsers, out)
	}
	objs, err := meta.ExtractList(obj)
	if err != nil {
		return err
	}
	for ix := range objs {
		if err := s.printOneObject(objs[ix], parsers, out); err != nil {
			return err
		}
	}
	return nil
}

func (s *CustomColumnsPrinter) printOneObject(obj runtime.Object, parsers []*jsonpath.JSONPath, out io.Writer) error {
	obj, err := columnSource(obj)
	if err != nil {
		return err
	}
	columns := make([]string, len(parsers))
	for ix, parser := range parsers {
		var values [][]reflect.Value
		if u, ok := obj.(runtime.Unstructured); ok {
			values, err = parser.FindResults(u.UnstructuredContent())
		} else {
			values, err = parser.FindResults(reflect.ValueOf(obj).Elem().Interface())
		}
		if err != nil {
			return err
		}
		var valueStrings []string
		if len(values) == 0 || len(values[0]) == 0 {
			valueStrings = append(valueStrings, "<none>")
		}
		for arrIx := range values {
			for valIx := range values[arrIx] {
				valueStrings = append(valueStrings, printers.EscapeTerminal(fmt.Sprint(values[arrIx][valIx].Interface())))
			}
		}
		columns[ix] = strings.Join(valueStrings, ",")
	}
	fmt.Fprintln(out, strings.Join(columns, "\t"))
	return nil
}

// columnSource is what the columns are read from: a watch event as
// {type, object}, an undecoded object decoded, anything else itself.
func columnSource(obj runtime.Object) (runtime.Object, error) {
	switch u := obj.(type) {
	case *metav1.WatchEvent:
		if printers.InternalObjectPreventer.IsForbidden(reflect.Indirect(reflect.ValueOf(u.Object.Object)).Type().PkgPath()) {
			return nil, errors.New(printers.InternalObjectPrinterErr)
		}
		content, err := runtime.DefaultUnstructuredConverter.ToUnstructured(u.Object.Object)
		if err != nil {
			return nil, err
		}
		return &unstructured.Unstructured{Object: map[string]any{"type": u.Type, "object": content}}, nil
	case *runtime.Unknown:
		if len(u.Raw) > 0 {
			decoded, err := runtime.Decode(scheme.Codecs.UniversalDecoder(scheme.Scheme.PrioritizedVersionsAllGroups()...), u.Raw)
			if err != nil {
				return nil, fmt.Errorf("can't decode object for printing: %v (%s)", err, u.Raw)
			}
			return decoded, nil
		}
	}
	return obj, nil
}
