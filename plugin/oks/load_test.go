package oks

import (
	"reflect"
	"strings"
	"testing"
)

func loadMem(t *testing.T, m *memFS, file string, dbPath ...string) (*DB, error) {
	t.Helper()
	return Load(file, Options{DBPath: dbPath, ReadFile: m.ReadFile})
}

func TestIncludesDBPathFirstThenRelativeEachFileOnce(t *testing.T) {
	m := newMemFS(map[string]string{
		"/db/schema/test.schema.xml": schemaDoc(nil, testSchema),
		// Found through the DB path although a same-named file sits next to
		// the including file: the DB path comes first.
		"/db/common/objs.data.xml":   dataDoc([]string{"schema/test.schema.xml"}, `<obj class="Middle" id="from-db"/>`),
		"/work/common/objs.data.xml": dataDoc(nil, `<obj class="Middle" id="shadowed"/>`),
		// Only next to the including file.
		"/work/local.data.xml": dataDoc([]string{"schema/test.schema.xml"}, `<obj class="Middle" id="local"/>`),
		"/work/main.data.xml": dataDoc([]string{"schema/test.schema.xml", "common/objs.data.xml", "local.data.xml", "local.data.xml"},
			`<obj class="Leaf" id="leaf"><rel name="peer" class="Middle" id="from-db"/></obj>`),
	})
	db, err := loadMem(t, m, "/work/main.data.xml", "/db")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/work/main.data.xml", "/db/schema/test.schema.xml", "/db/common/objs.data.xml", "/work/local.data.xml"}
	if !reflect.DeepEqual(db.Files, want) {
		t.Errorf("files read = %v, want %v", db.Files, want)
	}
	for f, n := range m.reads {
		if n != 1 {
			t.Errorf("%s read %d times, want once", f, n)
		}
	}
	if db.Get("Middle", "shadowed") != nil {
		t.Error("the file shadowed by the DB path entry was read")
	}
	if got := db.Get("Leaf", "leaf").Rel("peer"); got == nil || got.ID != "from-db" {
		t.Errorf("leaf.peer = %v", got)
	}
}

func TestTopFileFoundInDBPath(t *testing.T) {
	m := newMemFS(map[string]string{
		"/db/schema/test.schema.xml": schemaDoc(nil, testSchema),
		"/db/config/s.data.xml":      dataDoc([]string{"schema/test.schema.xml"}, `<obj class="Middle" id="m"/>`),
	})
	db, err := loadMem(t, m, "config/s.data.xml", "/other", "/db")
	if err != nil {
		t.Fatal(err)
	}
	if db.Files[0] != "/db/config/s.data.xml" || db.Get("Base", "m") == nil {
		t.Fatalf("files %v", db.Files)
	}
}

func TestIncludeCycleTolerated(t *testing.T) {
	m := newMemFS(map[string]string{
		"/d/a.data.xml":   dataDoc([]string{"b.data.xml", "s.schema.xml"}, `<obj class="Middle" id="a"><attr name="label" val="A"/></obj>`),
		"/d/b.data.xml":   dataDoc([]string{"a.data.xml"}, `<obj class="Middle" id="b"/>`),
		"/d/s.schema.xml": schemaDoc([]string{"s.schema.xml"}, testSchema),
	})
	db, err := loadMem(t, m, "/d/a.data.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Files) != 3 || db.Get("Middle", "a") == nil || db.Get("Middle", "b") == nil {
		t.Fatalf("files %v", db.Files)
	}
}

func TestIsAWithMultipleSuperclasses(t *testing.T) {
	m := newMemFS(map[string]string{"/s.schema.xml": schemaDoc(nil, testSchema+`
 <class name="Loop1"><superclass name="Loop2"/></class>
 <class name="Loop2"><superclass name="Loop1"/></class>`)})
	db, err := loadMem(t, m, "/s.schema.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		class, base string
		want        bool
	}{
		{"Leaf", "Leaf", true}, {"Leaf", "Middle", true}, {"Leaf", "Base", true}, {"Leaf", "Toggle", true},
		{"Middle", "Leaf", false}, {"Middle", "Toggle", false}, {"Base", "Middle", false},
		{"Loop1", "Loop2", true}, {"Loop1", "Base", false}, {"Unknown", "Base", false},
	} {
		if got := db.IsA(c.class, c.base); got != c.want {
			t.Errorf("IsA(%s, %s) = %v, want %v", c.class, c.base, got, c.want)
		}
	}
}

func TestObjectsTypedAttrsMultiValuesAndRels(t *testing.T) {
	m := newMemFS(map[string]string{
		"/s.schema.xml": schemaDoc(nil, testSchema),
		"/d.data.xml": dataDoc([]string{"s.schema.xml"}, `
<obj class="Leaf" id="full">
 <attr name="label" type="string" val="it&apos;s &quot;x&quot;&#xA;y"/>
 <attr name="count" type="u16" val="0x10"/>
 <attr name="ratio" type="float" val="0.5"/>
 <attr name="on" type="bool" val="1"/>
 <attr name="level" type="enum" val="HIGH"/>
 <attr name="tags" type="string">
  <data val="a"/>
  <data val="b c"/>
 </attr>
 <rel name="peer" class="Middle" id="m1"/>
 <rel name="friends">
  <ref class="Middle" id="m2"/>
  <ref class="Leaf" id="bare"/>
  <ref class="Middle" id="m1"/>
 </rel>
</obj>
<obj class="Leaf" id="bare">
 <rel name="peer" class="" id=""/>
</obj>
<obj class="Middle" id="m1"/>
<obj class="Middle" id="m2"/>`),
	})
	db, err := loadMem(t, m, "/d.data.xml")
	if err != nil {
		t.Fatal(err)
	}
	full := db.Get("Leaf", "full")
	if got := full.String("label"); got != "it's \"x\"\ny" {
		t.Errorf("label = %q", got)
	}
	if n, ok := full.Uint("count"); !ok || n != 16 {
		t.Errorf("count = %d %v", n, ok)
	}
	if got := full.Strings("tags"); !reflect.DeepEqual(got, []string{"a", "b c"}) {
		t.Errorf("tags = %q", got)
	}
	var ids []string
	for _, o := range full.RelAll("friends") {
		ids = append(ids, o.ID)
	}
	if !reflect.DeepEqual(ids, []string{"m2", "bare", "m1"}) {
		t.Errorf("friends = %v", ids)
	}
	if full.Attrs["tags"].Type != "string" || !full.Attrs["tags"].Multi {
		t.Errorf("tags attr = %+v", full.Attrs["tags"])
	}

	// Defaults: the nearest class's init-value wins over a superclass's.
	bare := db.Get("Leaf", "bare")
	if bare.String("label") != "leaf-default" || bare.String("level") != "LOW" {
		t.Errorf("defaults: label %q level %q", bare.String("label"), bare.String("level"))
	}
	if n, _ := bare.Uint("count"); n != 3 {
		t.Errorf("default count = %d", n)
	}
	if got := bare.Strings("tags"); !reflect.DeepEqual(got, []string{"x", "y"}) {
		t.Errorf("default tags = %q", got)
	}
	if bare.Rel("peer") != nil || bare.RelAll("friends") != nil {
		t.Error("empty relationships should be nil")
	}
	if db.Get("Middle", "m1").String("label") != "base-default" {
		t.Error("inherited default not found")
	}
	// Lookups by a superclass and listings.
	if db.Get("Base", "full") != full || db.Get("Toggle", "m1") != nil {
		t.Error("Get by superclass")
	}
	if got := db.IDsOf("Base"); !reflect.DeepEqual(got, []string{"bare", "full", "m1", "m2"}) {
		t.Errorf("IDsOf(Base) = %v", got)
	}
}

func TestSameIDInUnrelatedClasses(t *testing.T) {
	m := newMemFS(map[string]string{"/d.data.xml": dataDoc(nil, `<obj class="Middle" id="x"/><obj class="Toggle" id="x"/>`) + "",
		"/s.schema.xml": schemaDoc(nil, testSchema)})
	m.files["/d.data.xml"] = dataDoc([]string{"s.schema.xml"}, `<obj class="Middle" id="x"/><obj class="Toggle" id="x"/>`)
	db, err := loadMem(t, m, "/d.data.xml")
	if err != nil {
		t.Fatal(err)
	}
	if db.Get("Toggle", "x").Class != "Toggle" || db.Get("Middle", "x").Class != "Middle" {
		t.Error("ids are per class")
	}
}

// TestErrors: every bad input is one line naming the file (and line).
func TestErrors(t *testing.T) {
	schema := schemaDoc(nil, testSchema)
	cases := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"missing file", map[string]string{}, []string{"/nope.data.xml: no such file", "DUNEDAQ_DB_PATH is not set"}},
		{"missing include", map[string]string{"/w/d.data.xml": dataDoc([]string{"schema/none.schema.xml"}, "")},
			[]string{"/w/d.data.xml:5: included file \"schema/none.schema.xml\" not found", "/db/schema/none.schema.xml", "/w/schema/none.schema.xml"}},
		{"malformed XML", map[string]string{"/w/d.data.xml": "<oks-data>\n<obj class=\"Middle\" id=\"x\">\n</oks-data>\n"},
			[]string{"/w/d.data.xml:3: malformed XML"}},
		{"not OKS", map[string]string{"/w/d.data.xml": "<html/>"}, []string{"/w/d.data.xml:1: root element <html>"}},
		{"empty", map[string]string{"/w/d.data.xml": ""}, []string{"/w/d.data.xml: no XML element"}},
		{"dangling reference", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			"<obj class=\"Leaf\" id=\"a\">\n <rel name=\"friends\">\n  <ref class=\"Middle\" id=\"ghost\"/>\n </rel>\n</obj>")},
			[]string{"/w/d.data.xml:8: Leaf \"a\" relationship \"friends\" refers to Middle \"ghost\", which no loaded file defines"}},
		{"reference of the wrong class", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			"<obj class=\"Toggle\" id=\"t\"/>\n<obj class=\"Leaf\" id=\"a\"><rel name=\"peer\" class=\"Middle\" id=\"t\"/></obj>")},
			[]string{`/w/d.data.xml:8: Leaf "a" relationship "peer" refers to Middle "t", but the object with that id (/w/d.data.xml:7) is a Toggle, not a Middle`}},
		{"unknown class", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"}, `<obj class="Nope" id="a"/>`)},
			[]string{"/w/d.data.xml:7: object \"a\" has class \"Nope\""}},
		{"bad number", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			"<obj class=\"Leaf\" id=\"a\">\n<attr name=\"count\" val=\"70000\"/></obj>")},
			[]string{"/w/d.data.xml:8: Leaf \"a\" attribute \"count\": \"70000\" is not a u16"}},
		{"bad enum", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			"<obj class=\"Leaf\" id=\"a\"><attr name=\"level\" type=\"enum\" val=\"MID\"/></obj>")},
			[]string{"\"MID\" is not one of LOW,HIGH"}},
		{"duplicate object", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			"<obj class=\"Middle\" id=\"a\"/>\n<obj class=\"Middle\" id=\"a\"/>")},
			[]string{"/w/d.data.xml:8: Middle \"a\" is defined twice (first at /w/d.data.xml:7)"}},
		{"duplicate class", map[string]string{"/w/s.schema.xml": schemaDoc([]string{"t.schema.xml"}, "<class name=\"Base\"/>"), "/w/t.schema.xml": schemaDoc(nil, "<class name=\"Base\"/>")},
			[]string{"/w/s.schema.xml:7: class \"Base\" is defined twice (first at /w/t.schema.xml:4)"}},
		{"newline in value stays one line", map[string]string{"/w/s.schema.xml": schema, "/w/d.data.xml": dataDoc([]string{"s.schema.xml"},
			`<obj class="Leaf" id="a&#xA;b"><rel name="peer" class="Middle" id="x&#xA;y"/></obj>`)},
			[]string{`Leaf "a\nb" relationship "peer" refers to Middle "x\ny"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := newMemFS(c.files)
			file := "/w/d.data.xml"
			switch c.name {
			case "missing file":
				file = "/nope.data.xml"
			case "duplicate class":
				file = "/w/s.schema.xml"
			}
			var dbPath []string
			if c.name == "missing include" {
				dbPath = []string{"/db"}
			}
			_, err := Load(file, Options{DBPath: dbPath, ReadFile: m.ReadFile})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q\ndoes not contain %q", msg, w)
				}
			}
		})
	}
}
