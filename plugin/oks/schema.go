package oks

import "strings"

// Class is an OKS schema class.
type Class struct {
	Name         string
	Abstract     bool
	Superclasses []string // direct ones, in file order
	Attributes   map[string]*Attribute
	Relations    map[string]*Relationship
	File         string
	Line         int
}

// Attribute is a class attribute declaration.
type Attribute struct {
	Name  string
	Type  string // bool, s8..u64, float, double, date, time, string, uid, enum, class
	Range string // for enums: the allowed values, comma-separated
	Multi bool
	Init  string // default value, as written
}

// Relationship is a class relationship declaration.
type Relationship struct {
	Name      string
	ClassType string
	Many      bool // high-cc="many"
}

// parseSchema adds the classes of one oks-schema document to db.
func (db *DB) parseSchema(file string, root *node) error {
	for _, n := range root.Children {
		if n.Name != "class" {
			continue
		}
		name, _ := n.attr("name")
		if name == "" {
			return errorf(file, n.Line, "<class> without a name")
		}
		if prev, ok := db.classes[name]; ok {
			return errorf(file, n.Line, "class %q is defined twice (first at %s:%d)", name, prev.File, prev.Line)
		}
		abstract, _ := n.attr("is-abstract")
		c := &Class{Name: name, Abstract: abstract == "yes", File: file, Line: n.Line,
			Attributes: map[string]*Attribute{}, Relations: map[string]*Relationship{}}
		for _, m := range n.Children {
			mname, _ := m.attr("name")
			switch m.Name {
			case "superclass":
				if mname == "" {
					return errorf(file, m.Line, "class %q: <superclass> without a name", name)
				}
				c.Superclasses = append(c.Superclasses, mname)
			case "attribute":
				if mname == "" {
					return errorf(file, m.Line, "class %q: <attribute> without a name", name)
				}
				a := &Attribute{Name: mname}
				a.Type, _ = m.attr("type")
				a.Range, _ = m.attr("range")
				a.Init, _ = m.attr("init-value")
				multi, _ := m.attr("is-multi-value")
				a.Multi = multi == "yes"
				c.Attributes[mname] = a
			case "relationship":
				if mname == "" {
					return errorf(file, m.Line, "class %q: <relationship> without a name", name)
				}
				r := &Relationship{Name: mname}
				r.ClassType, _ = m.attr("class-type")
				high, _ := m.attr("high-cc")
				r.Many = high == "many"
				c.Relations[mname] = r
			}
		}
		db.classes[name] = c
		db.classOrder = append(db.classOrder, name)
	}
	return nil
}

// IsA reports whether class is base or inherits from it, through any chain
// of (multiple) superclasses. Unknown classes are only themselves. After
// Load the answer comes from a table, so a DB can be shared by goroutines.
func (db *DB) IsA(class, base string) bool {
	if class == base {
		return true
	}
	if db.ancestors != nil {
		return db.ancestors[class][base]
	}
	return db.ancestorsOf(class)[base]
}

// ancestorsOf walks the superclasses of class; cycles are tolerated.
func (db *DB) ancestorsOf(class string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{class}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if cl := db.classes[c]; cl != nil {
			for _, s := range cl.Superclasses {
				if !seen[s] {
					seen[s] = true
					stack = append(stack, s)
				}
			}
		}
	}
	return seen
}

// index fills the is-a table once every schema is read.
func (db *DB) index() {
	db.ancestors = make(map[string]map[string]bool, len(db.classes))
	for name := range db.classes {
		db.ancestors[name] = db.ancestorsOf(name)
	}
}

// Class returns the class called name, or nil.
func (db *DB) Class(name string) *Class { return db.classes[name] }

// Classes returns the class names in the order they were read.
func (db *DB) Classes() []string { return append([]string(nil), db.classOrder...) }

// attribute finds an attribute declaration on class or, nearest first, on its
// superclasses (a subclass may redeclare one to change its default).
func (db *DB) attribute(class, name string) *Attribute {
	seen := map[string]bool{}
	queue := []string{class}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		cl := db.classes[c]
		if cl == nil {
			continue
		}
		if a := cl.Attributes[name]; a != nil {
			return a
		}
		queue = append(queue, cl.Superclasses...)
	}
	return nil
}

// splitInit turns a multi-value init-value (`"a","b"`) into its values.
func splitInit(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"`)
	}
	return parts
}
