package oks

import "sort"

// DB is a loaded OKS database: the classes of every schema file and the
// objects of every data file reached from the file that was loaded.
type DB struct {
	// Files lists every file read, in the order it was read.
	Files []string

	classes    map[string]*Class
	classOrder []string
	objects    map[string][]*Object // by id; ids are unique per class
	order      []*Object
	ancestors  map[string]map[string]bool // class -> every superclass, transitively
}

func newDB() *DB {
	return &DB{classes: map[string]*Class{}, objects: map[string][]*Object{}}
}

// Get returns the object with this id whose class is class or a subclass of it.
func (db *DB) Get(class, id string) *Object {
	var found *Object
	for _, o := range db.objects[id] {
		if o.Class == class {
			return o
		}
		if found == nil && db.IsA(o.Class, class) {
			found = o
		}
	}
	return found
}

// ObjectsOf returns the objects of class and its subclasses, in file order.
func (db *DB) ObjectsOf(class string) []*Object {
	var out []*Object
	for _, o := range db.order {
		if db.IsA(o.Class, class) {
			out = append(out, o)
		}
	}
	return out
}

// IDsOf returns the sorted ids of the objects of class (and subclasses).
func (db *DB) IDsOf(class string) []string {
	var ids []string
	for _, o := range db.ObjectsOf(class) {
		ids = append(ids, o.ID)
	}
	sort.Strings(ids)
	return ids
}

// parseData adds the objects of one oks-data document to db; references
// are resolved once every file is read.
func (db *DB) parseData(file string, root *node) error {
	for _, n := range root.Children {
		if n.Name != "obj" {
			continue
		}
		class, _ := n.attr("class")
		id, _ := n.attr("id")
		if class == "" || id == "" {
			return errorf(file, n.Line, "<obj> needs both class and id (got class %q, id %q)", class, id)
		}
		o := &Object{Class: class, ID: id, File: file, Line: n.Line,
			Attrs: map[string]*Attr{}, Rels: map[string]*Rel{}, db: db}
		for _, m := range n.Children {
			if err := o.parseMember(file, m); err != nil {
				return err
			}
		}
		for _, prev := range db.objects[id] {
			if prev.Class == class {
				return errorf(file, n.Line, "%s %q is defined twice (first at %s)", class, id, prev.Where())
			}
		}
		db.objects[id] = append(db.objects[id], o)
		db.order = append(db.order, o)
	}
	return nil
}

func (o *Object) parseMember(file string, m *node) error {
	name, _ := m.attr("name")
	switch m.Name {
	case "attr":
		if name == "" {
			return errorf(file, m.Line, "%s %q: <attr> without a name", o.Class, o.ID)
		}
		a := &Attr{Name: name, Line: m.Line}
		a.Type, _ = m.attr("type")
		if v, ok := m.attr("val"); ok {
			a.Values = []string{v}
		}
		for _, d := range m.Children {
			if d.Name != "data" {
				continue
			}
			v, _ := d.attr("val")
			if !a.Multi {
				a.Multi, a.Values = true, nil
			}
			a.Values = append(a.Values, v)
		}
		o.Attrs[name] = a
	case "rel":
		if name == "" {
			return errorf(file, m.Line, "%s %q: <rel> without a name", o.Class, o.ID)
		}
		r := &Rel{Name: name, Line: m.Line}
		class, _ := m.attr("class")
		id, _ := m.attr("id")
		if class != "" || id != "" {
			r.Refs = []Ref{{class, id}}
		}
		for _, ref := range m.Children {
			if ref.Name != "ref" {
				continue
			}
			class, _ := ref.attr("class")
			id, _ := ref.attr("id")
			r.Multi = true
			r.Refs = append(r.Refs, Ref{class, id})
		}
		o.Rels[name] = r
	}
	return nil
}

// link checks every object against the schema (known class, typed values)
// and resolves every reference, so navigation afterwards cannot fail.
func (db *DB) link() error {
	db.index()
	for _, o := range db.order {
		cl := db.classes[o.Class]
		if cl == nil {
			return errorf(o.File, o.Line, "object %q has class %q, which no loaded schema defines (include the schema file that declares it)", o.ID, o.Class)
		}
		for _, a := range sortedAttrs(o) {
			decl := db.attribute(o.Class, a.Name)
			if a.Type == "" || a.Type == "-" {
				if decl != nil {
					a.Type = decl.Type
				}
			}
			rng := ""
			if decl != nil {
				rng = decl.Range
			}
			for _, v := range a.Values {
				if err := checkValue(a.Type, rng, v); err != nil {
					return errorf(o.File, a.Line, "%s %q attribute %q: %v", o.Class, o.ID, a.Name, err)
				}
			}
		}
		for _, r := range sortedRels(o) {
			r.targets = r.targets[:0]
			for _, ref := range r.Refs {
				if ref.Class == "" || ref.ID == "" {
					return errorf(o.File, r.Line, "%s %q relationship %q: a reference needs both class and id (got %s)", o.Class, o.ID, r.Name, ref)
				}
				t := db.Get(ref.Class, ref.ID)
				if t == nil {
					if others := db.objects[ref.ID]; len(others) > 0 {
						return errorf(o.File, r.Line, "%s %q relationship %q refers to %s, but the object with that id (%s) is a %s, not a %s", o.Class, o.ID, r.Name, ref, others[0].Where(), others[0].Class, ref.Class)
					}
					return errorf(o.File, r.Line, "%s %q relationship %q refers to %s, which no loaded file defines (dangling reference: add the object or include the file that has it)", o.Class, o.ID, r.Name, ref)
				}
				r.targets = append(r.targets, t)
			}
		}
	}
	return nil
}

// sortedAttrs and sortedRels give a stable order, so the first error
// reported for a file is always the same one.
func sortedAttrs(o *Object) []*Attr {
	out := make([]*Attr, 0, len(o.Attrs))
	for _, a := range o.Attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Line < out[j].Line || out[i].Line == out[j].Line && out[i].Name < out[j].Name
	})
	return out
}

func sortedRels(o *Object) []*Rel {
	out := make([]*Rel, 0, len(o.Rels))
	for _, r := range o.Rels {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Line < out[j].Line || out[i].Line == out[j].Line && out[i].Name < out[j].Name
	})
	return out
}
