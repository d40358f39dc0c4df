package sessionrecord

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
)

// listed is what a LIST of every record object returns, in all sessions,
// each stamped with a UID and resourceVersion as the apiserver does.
func listed(t testing.TB, client *fake.Clientset) []*corev1.ConfigMap {
	t.Helper()
	list, err := client.CoreV1().ConfigMaps("").List(ctx, metav1.ListOptions{LabelSelector: ListSelector})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*corev1.ConfigMap, len(list.Items))
	for i := range list.Items {
		cm := &list.Items[i]
		cm.UID = types.UID(cm.Namespace + "/" + cm.Name)
		if cm.ResourceVersion == "" {
			cm.ResourceVersion = "1"
		}
		out[i] = cm
	}
	return out
}

// TestDecoderReadsWhatReadReads: a record decoded from its listed objects
// (two sessions in one list, shards in any order) equals Store.Read's, a
// session without one is not Found, and an unreadable shard is named.
func TestDecoderReadsWhatReadReads(t *testing.T) {
	client := fake.NewClientset()
	entries := realisticEntries(t, 2100)
	big := New(client, "big")
	if _, err := big.Claim(ctx, Header{Source: Source{BootFile: "big.yaml"}, Processes: len(entries)}); err != nil {
		t.Fatal(err)
	}
	if err := big.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if err := big.Apply(ctx, KilledChange{Name: entries[3].Name, PodUID: entries[3].PodUID, ExitCode: NoExit, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	small := New(client, "small")
	if _, err := small.Claim(ctx, Header{Source: Source{BootFile: "small.yaml"}, Processes: 1}); err != nil {
		t.Fatal(err)
	}
	objs := listed(t, client)
	if len(objs) != 1+3+1 {
		t.Fatalf("listed %d objects, want 5 (2 indexes, 3 shards)", len(objs))
	}
	// Reversed: the order of a list is no promise.
	for i, j := 0, len(objs)-1; i < j; i, j = i+1, j-1 {
		objs[i], objs[j] = objs[j], objs[i]
	}
	var d Decoder
	got, err := d.Record("big", objs)
	if err != nil {
		t.Fatal(err)
	}
	want, err := big.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded record differs from Read's: %d entries, header %+v; want %d, %+v", len(got.Entries), got.Header, len(want.Entries), want.Header)
	}
	if rec, err := d.Record("small", objs); err != nil || !rec.Found() || len(rec.Entries) != 0 {
		t.Errorf("small: %+v, %v; want a record without entries", rec, err)
	}
	if rec, err := d.Record("python-booted", objs); err != nil || rec.Found() {
		t.Errorf("a session without record: %+v, %v", rec, err)
	}

	for _, cm := range objs {
		if cm.Namespace == "big" && cm.Name == ShardName(1) {
			cm.BinaryData[EntriesKey] = []byte("not gzip")
			cm.ResourceVersion = "2"
		}
	}
	if _, err := d.Record("big", objs); err == nil || !strings.Contains(err.Error(), ShardName(1)) || !strings.Contains(err.Error(), `"big"`) {
		t.Errorf("a corrupt shard: %v, want an error naming the session and the configmap", err)
	}
}

// TestDecoderDecodesAChangedShardOnly: the same objects give the same
// record without decoding again; a new version of one shard is decoded
// (and only it).
func TestDecoderDecodesAChangedShardOnly(t *testing.T) {
	client := fake.NewClientset()
	entries := realisticEntries(t, 2100)
	s := New(client, "big")
	if _, err := s.Claim(ctx, Header{Source: Source{BootFile: "big.yaml"}, Processes: len(entries)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	objs := listed(t, client)
	var d Decoder
	first, err := d.Record("big", objs)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := d.Record("big", objs); again != first {
		t.Errorf("unchanged objects were read again")
	}
	victim := entries[5].Name
	shard := ShardOf(victim, 3)
	if err := s.Apply(ctx, KilledChange{Name: victim, PodUID: entries[5].PodUID, ExitCode: 7, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	// The other objects as an informer holds them: the same versions.
	updated := append([]*corev1.ConfigMap(nil), objs...)
	for _, cm := range listed(t, client) {
		if cm.Name == ShardName(shard) {
			cm.ResourceVersion = "2"
			for i := range updated {
				if updated[i].Name == cm.Name {
					updated[i] = cm
				}
			}
		}
	}
	second, err := d.Record("big", updated)
	if err != nil {
		t.Fatal(err)
	}
	if e := second.Entry(victim); e.State != StateKilled || *e.ExitCode != 7 {
		t.Errorf("after the kill: %+v", e)
	}
	for name, e := range second.Entries {
		if ShardOf(name, 3) != shard && e != first.Entries[name] {
			t.Fatalf("entry %s of an unchanged shard was decoded again", name)
		}
	}
}

// BenchmarkDecodeRecord is ps's local cost of reading one session's
// record of 1,000 DUNE processes from its listed objects.
func BenchmarkDecodeRecord(b *testing.B) {
	client := fake.NewClientset()
	entries := realisticEntries(b, 1000)
	s := New(client, "bench")
	if _, err := s.Claim(ctx, Header{Source: Source{BootFile: "bench.yaml"}, Processes: len(entries)}); err != nil {
		b.Fatal(err)
	}
	if err := s.Put(ctx, entries); err != nil {
		b.Fatal(err)
	}
	objs := listed(b, client)
	size := 0
	for _, cm := range objs {
		size += len(cm.BinaryData[EntriesKey])
	}
	b.ReportMetric(float64(size), "record-bytes")
	for i := 0; b.Loop(); i++ {
		var d Decoder // a new process each time: nothing decoded before
		rec, err := d.Record("bench", objs)
		if err != nil || len(rec.Entries) != len(entries) {
			b.Fatal(fmt.Sprint(len(rec.Entries), err))
		}
	}
}
