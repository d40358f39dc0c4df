package sessionrecord

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"reflect"
	"testing"
	"time"
)

// plainEntries decodes a shard document with encoding/json alone.
func plainEntries(t *testing.T, raw []byte) map[string]*Entry {
	t.Helper()
	var doc shardDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]*Entry{}
	for _, e := range doc.Entries {
		out[e.Name] = e
	}
	return out
}

// TestScanReadsWhatEncodingJSONReads: the scanner gives the entries
// encoding/json gives, for what the writer writes (realistic entries in
// every state) and for valid JSON written otherwise (indented, members in
// another order, unknown members, escapes in strings).
func TestScanReadsWhatEncodingJSONReads(t *testing.T) {
	entries := realisticEntries(t, 50)
	m := map[string]*Entry{}
	for i := range entries {
		m[entries[i].Name] = &entries[i]
	}
	at := time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC)
	applyChanges(m, []Change{
		KilledChange{Name: entries[1].Name, ExitCode: NoExit, At: at},
		KilledChange{Name: entries[2].Name, ExitCode: 3, At: at},
		FlushedChange{Name: entries[2].Name, At: at},
	})
	written, err := encodeEntries(m)
	if err != nil {
		t.Fatal(err)
	}
	raw := gunzip(t, written)
	indented, err := json.MarshalIndent(json.RawMessage(raw), "", "  \t")
	if err != nil {
		t.Fatal(err)
	}
	odd := []byte(`{"entries": [ {"state":"Killed", "spec" : {"pod":{"metadata":{"name":"a \"q\" \\ }]"},"x":[1,{"y":[]}]}},
		"name":"a\u00e9", "extra":{"n":[true,null,-1.5e3]}, "exitCode":-1, "uuid":"u-1"} , {"name":"b","spec":null,"state":"Booted"}],
		"later": "ignored", "version": 1 }`)
	for name, doc := range map[string][]byte{"written": raw, "indented": indented, "odd": odd} {
		got, ok := scanEntries(doc)
		if !ok {
			t.Errorf("%s: the scanner gave up", name)
			continue
		}
		want := plainEntries(t, doc)
		for k := range want {
			if !reflect.DeepEqual(got[k].Spec, want[k].Spec) && !jsonEqual(got[k].Spec, want[k].Spec) {
				t.Errorf("%s: spec of %q: %s, want %s", name, k, got[k].Spec, want[k].Spec)
			}
			g, w := *got[k], *want[k]
			g.Spec, w.Spec = nil, nil
			if !reflect.DeepEqual(g, w) {
				t.Errorf("%s: entry %q: %+v, want %+v", name, k, g, w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d entries, want %d", name, len(got), len(want))
		}
	}
}

// jsonEqual compares two JSON texts by value (indentation aside).
func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// The scanner leaves what it does not read as expected to encoding/json,
// whose error is then reported.
func TestScanGivesUp(t *testing.T) {
	for _, doc := range []string{
		``, `[]`, `{"version":1,"entries":[{"name":"a"}`, `{"version":1,"entries":[{"name":"a",}]}`,
		`{"version":2,"entries":[]}`, `{"entries":[]}`, `{"version":1,"entries":[{"spec":{}}]}`,
		`{"version":1,"entries":[{"na\u006de":"a"}]}`, `{"version":1,"entries":[{"name":"a","state":"x}]}`,
		`{"version":1,"entries":[]} trailing`, `{"version":1,"entries":[{"name":1}]}`,
	} {
		if got, ok := scanEntries([]byte(doc)); ok {
			t.Errorf("%q: read as %v", doc, got)
		}
	}
	if _, err := decodeEntries(gzipped(t, []byte(`{"version":2,"entries":[]}`))); err == nil {
		t.Errorf("another layout version was read")
	}
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func gzipped(t *testing.T, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
