package bootfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// File is a decoded boot file, with the line of every field.
type File struct {
	// Name is how the file is named in messages (its path, or "-").
	Name  string
	Doc   Document
	lines map[string]int
	// problems found while decoding; Session reports them together with
	// the validation problems of what could be decoded.
	problems []Problem
}

// Read reads and decodes a boot file; "-" reads standard input.
func Read(path string, stdin io.Reader) (*File, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the boot file: %w", err)
	}
	return Decode(path, data)
}

var yamlLine = regexp.MustCompile(`yaml: line (\d+): (.*)$`)

// Decode decodes one boot-file document strictly (see the package doc).
// Errors are *Error. When the YAML parses but fields are wrong, the File is
// returned too (with the error): its Session reports the decoding problems
// together with every validation problem, so one run shows them all.
func Decode(name string, data []byte) (*File, error) {
	f := &File{Name: name, lines: map[string]int{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, f.errorf(0, "", "the file is empty: expected a %s document (apiVersion: %s)", Kind, APIVersion)
		}
		return nil, f.yamlError(err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, f.errorf(extra.Line, "", "the file holds more than one document; a boot file is one %s document", Kind)
	} else if !errors.Is(err, io.EOF) {
		return nil, f.yamlError(err, data)
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	d := &decoder{lines: f.lines}
	d.decode(doc, reflect.ValueOf(&f.Doc).Elem(), "")
	// spec.env is checked once, here, at its own line: Build leaves a bad
	// name out of the processes, so it is not reported once per process.
	for _, k := range slices.Sorted(maps.Keys(f.Doc.Spec.Env)) {
		if problem := session.EnvNameProblem(k); problem != "" {
			d.problems = append(d.problems, Problem{Line: f.line("spec.env." + k), Field: "spec.env." + k, Detail: problem})
		}
	}
	if doc.Kind == yaml.MappingNode {
		if f.Doc.APIVersion != APIVersion {
			d.problems = append(d.problems, Problem{Line: f.line("apiVersion"), Field: "apiVersion",
				Detail: fmt.Sprintf("must be %s, got %q", APIVersion, f.Doc.APIVersion)})
		}
		if f.Doc.Kind != Kind {
			d.problems = append(d.problems, Problem{Line: f.line("kind"), Field: "kind",
				Detail: fmt.Sprintf("must be %s, got %q", Kind, f.Doc.Kind)})
		}
	}
	if len(d.problems) > 0 {
		for i := range d.problems {
			d.problems[i].Process = f.processOf(d.problems[i].Field)
		}
		f.problems = d.problems
		if doc.Kind != yaml.MappingNode {
			return nil, &Error{File: name, Problems: d.problems}
		}
		return f, &Error{File: name, Problems: d.problems}
	}
	return f, nil
}

func (f *File) errorf(line int, field, format string, a ...any) *Error {
	return &Error{File: f.Name, Problems: []Problem{{Line: line, Field: field, Detail: fmt.Sprintf(format, a...)}}}
}

// yamlError words a syntax error. Its line is the one kubectl reports for
// the same file: kubectl parses with sigs.k8s.io/yaml, whose parser points
// at the offending line where this decoder's often points lines earlier
// (a tab, an unclosed quote, a bad indent).
func (f *File) yamlError(err error, data []byte) *Error {
	msg := err.Error()
	if _, kerr := sigsyaml.YAMLToJSON(data); kerr != nil && yamlLine.MatchString(kerr.Error()) {
		msg = kerr.Error()
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return f.errorf(line, "", "not valid YAML: %s", m[2])
	}
	return f.errorf(0, "", "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// Overrides are the command-line values that win over the file's.
type Overrides struct {
	// Session replaces metadata.name (-n).
	Session string
	// User replaces spec.user (--user).
	User string
	// DefaultUser is used when neither the file nor User names one.
	DefaultUser string
}

// Session builds the validated session; errors are *Error naming line,
// process and field, decoding problems included.
func (f *File) Session(o Overrides) (*session.Session, error) {
	s := f.Build(o)
	if err := f.Report(s.Validate(), o); err != nil {
		return nil, err
	}
	return s, nil
}

// Build returns the session as written, with the overrides applied and
// spec.env merged into each process, without validating it.
func (f *File) Build(o Overrides) *session.Session {
	s := &session.Session{Name: f.Doc.Metadata.Name, User: f.Doc.Spec.User}
	if o.Session != "" {
		s.Name = o.Session
	}
	switch {
	case o.User != "":
		s.User = o.User
	case s.User == "":
		s.User = o.DefaultUser
	}
	for _, p := range f.Doc.Spec.Processes {
		if len(f.Doc.Spec.Env) > 0 {
			env := map[string]string{}
			for k, v := range f.Doc.Spec.Env {
				if session.EnvNameProblem(k) == "" { // else reported by Decode
					env[k] = v
				}
			}
			for k, v := range p.Env {
				env[k] = v
			}
			p.Env = env
		}
		s.Processes = append(s.Processes, p)
	}
	return s
}

// Report returns one *Error with the file's decoding problems and the
// problems in err (session.Errors from validation or rendering), in line
// order; nil when there are none.
func (f *File) Report(err error, o Overrides) error {
	var problems []Problem
	if err != nil {
		var e *Error
		if !errors.As(f.Explain(err, o), &e) {
			return err
		}
		problems = e.Problems
	}
	if len(f.problems) == 0 && len(problems) == 0 {
		return nil
	}
	return &Error{File: f.Name, Problems: f.merge(problems)}
}

// merge puts the decoding problems and the validation problems in line
// order, dropping validation problems about a field that already failed to
// decode (a list given as a string is not also "required").
func (f *File) merge(validation []Problem) []Problem {
	out := append([]Problem(nil), f.problems...)
	for _, v := range validation {
		shadowed := false
		for _, d := range f.problems {
			if v.Field == d.Field || strings.HasPrefix(v.Field, d.Field+".") || strings.HasPrefix(v.Field, d.Field+"[") {
				shadowed = true
			}
		}
		if !shadowed {
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Explain turns session.Errors (from validation or rendering) into an
// *Error pointing at the file's lines; other errors are returned as is.
func (f *File) Explain(err error, o Overrides) error {
	var errs session.Errors
	if !errors.As(err, &errs) {
		return err
	}
	out := &Error{File: f.Name}
	for _, e := range errs {
		field := f.docField(e.Field)
		switch {
		case e.Field == "name" && o.Session != "":
			field = "-n"
		case e.Field == "user" && o.User != "":
			field = "--user"
		case e.Field == "user" && f.Doc.Spec.User == "":
			field = "user"
			e = &session.FieldError{Process: e.Process, Field: e.Field, Detail: e.Detail + " (the invoking user's name; set spec.user or --user)"}
		}
		out.Problems = append(out.Problems, Problem{Line: f.line(field), Process: e.Process, Field: field, Detail: e.Detail})
	}
	return out
}

// docField maps a session field path to the document's.
func (f *File) docField(field string) string {
	switch {
	case field == "name":
		return "metadata.name"
	case field == "user":
		return "spec.user"
	case field == "":
		return "spec"
	}
	return "spec." + field
}

// line finds the line of a field path, or of its closest recorded parent.
func (f *File) line(path string) int {
	for path != "" {
		if l, ok := f.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

var processIndex = regexp.MustCompile(`^spec\.processes\[(\d+)\]`)

// processOf names the process a document field path belongs to.
func (f *File) processOf(path string) string {
	m := processIndex.FindStringSubmatch(path)
	if m == nil {
		return ""
	}
	i, _ := strconv.Atoi(m[1])
	if i < len(f.Doc.Spec.Processes) {
		return f.Doc.Spec.Processes[i].Name
	}
	return ""
}
