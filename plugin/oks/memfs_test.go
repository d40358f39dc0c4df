package oks

import (
	"io/fs"
	"path/filepath"
	"strings"
)

// memFS is an in-memory file tree; reads counts how often each file is read.
type memFS struct {
	files map[string]string
	reads map[string]int
}

func newMemFS(files map[string]string) *memFS {
	m := &memFS{files: map[string]string{}, reads: map[string]int{}}
	for k, v := range files {
		m.files[filepath.Clean(k)] = v
	}
	return m
}

func (m *memFS) ReadFile(name string) ([]byte, error) {
	name = filepath.Clean(name)
	v, ok := m.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	m.reads[name]++
	return []byte(v), nil
}

// schemaDoc and dataDoc wrap bodies into OKS documents with includes.
func schemaDoc(includes []string, body string) string {
	return doc("oks-schema", includes, body)
}

func dataDoc(includes []string, body string) string {
	return doc("oks-data", includes, body)
}

func doc(root string, includes []string, body string) string {
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"ASCII\"?>\n<" + root + ">\n<info name=\"\"/>\n")
	if len(includes) > 0 {
		b.WriteString("<include>\n")
		for _, i := range includes {
			b.WriteString(" <file path=\"" + i + "\"/>\n")
		}
		b.WriteString("</include>\n")
	}
	b.WriteString(body)
	b.WriteString("\n</" + root + ">\n")
	return b.String()
}

// testSchema is a small schema in OKS's shape: multiple superclasses, a
// redeclared attribute default, single and many relationships.
const testSchema = `
 <class name="Base" is-abstract="yes">
  <attribute name="label" type="string" init-value="base-default"/>
 </class>
 <class name="Toggle" is-abstract="yes"/>
 <class name="Middle">
  <superclass name="Base"/>
 </class>
 <class name="Leaf">
  <superclass name="Toggle"/>
  <superclass name="Middle"/>
  <attribute name="label" type="string" init-value="leaf-default"/>
  <attribute name="count" type="u16" init-value="3"/>
  <attribute name="ratio" type="float"/>
  <attribute name="on" type="bool"/>
  <attribute name="level" type="enum" range="LOW,HIGH" init-value="LOW"/>
  <attribute name="tags" type="string" is-multi-value="yes" init-value="&quot;x&quot;,&quot;y&quot;"/>
  <relationship name="peer" class-type="Base" low-cc="zero" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="friends" class-type="Base" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
 </class>
`
