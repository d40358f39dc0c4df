package oks

import "strconv"

// Object is one OKS object: an instance of a class with an id.
type Object struct {
	Class string
	ID    string
	File  string
	Line  int
	Attrs map[string]*Attr
	Rels  map[string]*Rel

	db *DB
}

// Attr is an attribute value as written in a data file.
type Attr struct {
	Name   string
	Type   string   // from the file, else from the schema
	Values []string // one for a single value, any number for a multi-value
	Multi  bool     // written with <data> children
	Line   int
}

// Rel is a relationship value: references to other objects.
type Rel struct {
	Name    string
	Refs    []Ref
	Multi   bool // written with <ref> children
	Line    int
	targets []*Object // resolved Refs, same order
}

// Ref names an object by class and id.
type Ref struct{ Class, ID string }

func (r Ref) String() string { return r.Class + " " + quote(r.ID) }

func quote(s string) string { return strconv.Quote(s) }

// String returns a single-valued attribute, or the class default when the
// object does not set it.
func (o *Object) String(name string) string {
	if a := o.Attrs[name]; a != nil {
		if len(a.Values) == 0 {
			return ""
		}
		return a.Values[0]
	}
	if d := o.db.attribute(o.Class, name); d != nil && !d.Multi {
		return d.Init
	}
	return ""
}

// Strings returns a multi-valued attribute (or its class default).
func (o *Object) Strings(name string) []string {
	if a := o.Attrs[name]; a != nil {
		return append([]string(nil), a.Values...)
	}
	if d := o.db.attribute(o.Class, name); d != nil {
		if d.Multi {
			return splitInit(d.Init)
		}
		if d.Init != "" {
			return []string{d.Init}
		}
	}
	return nil
}

// Uint returns an unsigned integer attribute (or its default).
func (o *Object) Uint(name string) (uint64, bool) {
	v, err := parseUint(o.String(name), 64)
	return v, err == nil
}

// Rel returns the single object a relationship refers to, or nil.
func (o *Object) Rel(name string) *Object {
	r := o.Rels[name]
	if r == nil || len(r.targets) == 0 {
		return nil
	}
	return r.targets[0]
}

// RelAll returns every object a relationship refers to, in file order.
func (o *Object) RelAll(name string) []*Object {
	r := o.Rels[name]
	if r == nil {
		return nil
	}
	return append([]*Object(nil), r.targets...)
}

// IsA reports whether the object's class is class or inherits from it.
func (o *Object) IsA(class string) bool { return o.db.IsA(o.Class, class) }

// Where is the object's file:line, for messages.
func (o *Object) Where() string {
	if o.Line > 0 {
		return o.File + ":" + itoa(o.Line)
	}
	return o.File
}
