package oks

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadOKS feeds arbitrary bytes to the reader as a data file and as a
// file it includes (next to a fixed schema): whatever the input, Load
// returns a DB or an error, never panics, and a loaded DB can be walked.
func FuzzReadOKS(f *testing.F) {
	schema := schemaDoc(nil, testSchema)
	f.Add([]byte(dataDoc([]string{"s.schema.xml", "inc.data.xml"}, `<obj class="Leaf" id="a"><rel name="peer" class="Middle" id="b"/></obj>`)),
		[]byte(dataDoc(nil, `<obj class="Middle" id="b"><attr name="label" val="x"/></obj>`)))
	f.Add([]byte(dataDoc([]string{"s.schema.xml"}, `<obj class="Leaf" id="a"><attr name="tags"><data val="1"/><data val="2"/></attr><rel name="friends"><ref class="Leaf" id="a"/></rel></obj>`)), []byte(""))
	f.Add([]byte(dataDoc([]string{"inc.data.xml"}, "")), []byte(dataDoc([]string{"main.data.xml", "s.schema.xml"}, `<obj class="Leaf" id="c"><attr name="count" val="0x7"/></obj>`)))
	f.Add([]byte(schema), []byte("<oks-data><obj class=\"Leaf\" id=\"x\"><attr name=\"on\" val=\"2\"/></obj>"))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"latin1\"?><oks-data><obj class=\"Middle\" id=\"\xe9\"/></oks-data>"), []byte("<"))
	f.Add([]byte(schemaDoc([]string{"inc.data.xml"}, `<class name="Z"><superclass name="Z"/><superclass name="Leaf"/></class>`)), []byte(dataDoc([]string{"main.data.xml"}, `<obj class="Z" id="z"/>`)))
	// The real DUNE files make good seeds when they are there (never copied).
	if root, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "oks", "config", "daqsystemtest")); err == nil {
		for _, name := range []string{"hosts.data.xml", "ccm.data.xml", "example-configs.data.xml"} {
			if data, err := os.ReadFile(filepath.Join(root, name)); err == nil {
				f.Add(data, []byte(schema))
			}
		}
	}
	f.Fuzz(func(t *testing.T, main, included []byte) {
		m := newMemFS(map[string]string{
			"/f/main.data.xml": string(main),
			"/f/inc.data.xml":  string(included),
			"/f/s.schema.xml":  schema,
		})
		db, err := Load("/f/main.data.xml", Options{DBPath: []string{"/f"}, ReadFile: m.ReadFile})
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		for _, c := range db.Classes() {
			for _, o := range db.ObjectsOf(c) {
				for name := range o.Attrs {
					_ = o.String(name)
					_ = o.Strings(name)
					_, _ = o.Uint(name)
				}
				for name := range o.Rels {
					for _, r := range o.RelAll(name) {
						if r == nil {
							t.Fatalf("%s %s: nil target in %s", o.Class, o.ID, name)
						}
						_ = r.IsA(c)
					}
				}
			}
		}
	})
}
