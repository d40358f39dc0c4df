package sessionrecord

import (
	"testing"
	"time"
)

// BenchmarkShardUpdate is the local part of one state change in a shard
// of 400 DUNE entries (a 400-process session): decode, change, encode.
func BenchmarkShardUpdate(b *testing.B) {
	entries := realisticEntries(b, 400)
	m := map[string]*Entry{}
	for i := range entries {
		m[entries[i].Name] = &entries[i]
	}
	data, err := encodeEntries(m)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(data)), "shard-bytes")
	for b.Loop() {
		got, err := decodeEntries(data)
		if err != nil {
			b.Fatal(err)
		}
		applyChanges(got, []Change{KilledChange{Name: entries[9].Name, ExitCode: NoExit, At: time.Now()}})
		if _, err := encodeEntries(got); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBootRecord400 is the local part of the record a 400-process
// boot writes: encoding its one shard.
func BenchmarkBootRecord400(b *testing.B) {
	entries := realisticEntries(b, 400)
	m := map[string]*Entry{}
	for i := range entries {
		m[entries[i].Name] = &entries[i]
	}
	for b.Loop() {
		if _, err := encodeEntries(m); err != nil {
			b.Fatal(err)
		}
	}
}
