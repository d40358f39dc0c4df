package okssession

import (
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
)

// BenchmarkLoadLocal2x3 reads example-configs.data.xml with all its
// includes (15 files) from disk and derives local-2x3-config's processes:
// the whole cost of `boot --oks` before rendering.
func BenchmarkLoadLocal2x3(b *testing.B) {
	dir := sharedoks.Dir(b)
	opts := Options{File: sharedoks.ExampleConfigs, SessionID: "local-2x3-config", DBPath: dir, LocalhostNode: "np02-srv-001", User: "bench"}
	b.ReportAllocs()
	for b.Loop() {
		s, err := Load(opts)
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Processes) != 17 {
			b.Fatalf("%d processes", len(s.Processes))
		}
	}
}

// BenchmarkDeriveLocal2x3 is the derivation alone, on a database already
// read: what BenchmarkLoadLocal2x3 spends beyond reading the XML.
func BenchmarkDeriveLocal2x3(b *testing.B) {
	dir := sharedoks.Dir(b)
	opts := Options{File: sharedoks.ExampleConfigs, SessionID: "local-2x3-config", DBPath: dir, LocalhostNode: "np02-srv-001", User: "bench"}
	db, err := Read(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Derive(db, opts); err != nil {
			b.Fatal(err)
		}
	}
}
