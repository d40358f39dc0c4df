package okssession

import (
	"testing"
)

// FuzzDeriveSession mutates a whole Session file (against the mini schema)
// and derives every Session it defines: an error or processes, never a
// panic, and every derived process has a name, a tree id and a host.
func FuzzDeriveSession(f *testing.F) {
	f.Add([]byte(treeSession))
	f.Add([]byte(`<oks-data><include><file path="schema/mini.schema.xml"/></include>
<obj class="Session" id="s"><rel name="segment" class="Segment" id="r"/></obj>
<obj class="Segment" id="r"><rel name="controller" class="RCApplication" id="c"/><rel name="segments"><ref class="Segment" id="r"/></rel></obj>
<obj class="RCApplication" id="c"/></oks-data>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		files := memFiles{"/release/db/schema/mini.schema.xml": miniSchema, "cfg/tree.data.xml": string(data)}
		opts := treeOpts(files)
		db, err := Read(opts)
		if err != nil {
			return
		}
		for _, id := range db.IDsOf("Session") {
			opts.SessionID = id
			s, err := Derive(db, opts)
			if err != nil {
				continue
			}
			for _, p := range s.Processes {
				if p.Name == "" || p.TreeID == "" || p.Host == "" || len(p.Executables) == 0 {
					t.Fatalf("incomplete process %+v", p)
				}
			}
		}
	})
}
