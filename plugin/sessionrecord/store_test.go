package sessionrecord

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

var ctx = context.Background()

func TestReadWithoutRecordIsNotAnError(t *testing.T) {
	rec, err := New(fake.NewClientset(), "python-booted").Read(ctx)
	if err != nil || rec.Found() || len(rec.Entries) != 0 {
		t.Fatalf("Read = %+v, %v; want an empty record, no error", rec, err)
	}
	if err := New(fake.NewClientset(), "python-booted").Apply(ctx, KilledChange{Name: "a"}); err != nil {
		t.Fatalf("Apply on a session without record: %v", err)
	}
}

// TestBootWritesOnePerShard: a boot's record is the index plus one write
// per shard, and reads back whole.
func TestBootWritesOnePerShard(t *testing.T) {
	entries := realisticEntries(t, 2500)
	client := fake.NewClientset()
	var writes atomic.Int32
	client.PrependReactor("*", "configmaps", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if a.GetVerb() == "create" || a.GetVerb() == "update" {
			writes.Add(1)
		}
		return false, nil, nil
	})
	s := New(client, "np04-large")
	h, err := s.Claim(ctx, Header{Source: Source{BootFile: "/a/big.yaml"}, Digest: "sha256:1", Processes: len(entries)})
	if err != nil {
		t.Fatal(err)
	}
	if h.Shards != 3 {
		t.Fatalf("%d shards for 2500 processes", h.Shards)
	}
	if err := s.Put(ctx, entries); err != nil {
		t.Fatal(err)
	}
	if got := writes.Load(); got != int32(1+h.Shards) {
		t.Errorf("%d writes, want %d (index + shards)", got, 1+h.Shards)
	}
	rec, err := s.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Found() || len(rec.Entries) != len(entries) || rec.Header.Digest != "sha256:1" {
		t.Fatalf("read back %d entries, header %+v", len(rec.Entries), rec.Header)
	}
	e := rec.Entry(entries[7].Name)
	pod, svc, err := e.Objects()
	if err != nil || pod.Name != entries[7].Name || svc == nil || e.State != StateBooted || e.PodUID != entries[7].PodUID {
		t.Fatalf("entry %+v: pod %v svc %v err %v", e, pod, svc, err)
	}
	// A kill rewrites the one shard holding the process.
	writes.Store(0)
	if err := s.Apply(ctx, KilledChange{Name: e.Name, PodUID: e.PodUID, ExitCode: NoExit, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if got := writes.Load(); got != 1 {
		t.Errorf("a kill made %d writes, want 1", got)
	}
	rec, _ = s.Read(ctx)
	if got := rec.Entry(e.Name); got.State != StateKilled || *got.ExitCode != NoExit {
		t.Errorf("after kill: %+v", got)
	}
}

func TestClaimRefusesAnotherSource(t *testing.T) {
	s := New(fake.NewClientset(), "demo")
	if _, err := s.Claim(ctx, Header{Source: Source{OKSFile: "/x/demo.data.xml", SessionID: "demo"}, Processes: 4}); err != nil {
		t.Fatal(err)
	}
	// The same source from another directory is the same configuration.
	h, err := s.Claim(ctx, Header{Source: Source{OKSFile: "demo.data.xml", SessionID: "demo"}, Digest: "sha256:other", Processes: 5})
	if err != nil || h.Processes != 4 {
		t.Fatalf("same source: %+v, %v", h, err)
	}
	_, err = s.Claim(ctx, Header{Source: Source{OKSFile: "demo.data.xml", SessionID: "demo-2"}})
	var other *OtherSourceError
	if !errors.As(err, &other) {
		t.Fatalf("another session id: %v", err)
	}
	want := `session "demo" was booted from --oks /x/demo.data.xml --session-id demo, not from --oks demo.data.xml --session-id demo-2: terminate it first (kubectl drunc terminate -n demo) or boot into another session (-n NAME)`
	if err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
}

// TestConflictsAreRetriedWithAFreshRead: an update that lost a race reads
// the shard again and keeps the other writer's change.
func TestConflictsAreRetriedWithAFreshRead(t *testing.T) {
	client := fake.NewClientset()
	s := New(client, "demo")
	if _, err := s.Claim(ctx, Header{Source: Source{BootFile: "b.yaml"}, Processes: 2}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, []Entry{*booted("a", "pa"), *booted("b", "pb")}); err != nil {
		t.Fatal(err)
	}
	conflicts := 0
	client.PrependReactor("update", "configmaps", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if conflicts++; conflicts > 2 {
			return false, nil, nil
		}
		if conflicts == 1 {
			// Another terminal kills b between this read and this write.
			gvr := schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}
			obj, err := client.Tracker().Get(gvr, "demo", ShardName(0))
			if err != nil {
				return true, nil, err
			}
			cm := obj.(*corev1.ConfigMap)
			entries, _ := decodeEntries(cm.BinaryData[EntriesKey])
			applyChanges(entries, []Change{KilledChange{Name: "b", PodUID: "pb", ExitCode: 2, At: time.Now()}})
			cm.BinaryData[EntriesKey], _ = encodeEntries(entries)
			if err := client.Tracker().Update(gvr, cm, "demo"); err != nil {
				return true, nil, err
			}
		}
		return true, nil, apierrors.NewConflict(schema.GroupResource{Resource: "configmaps"}, ShardName(0), fmt.Errorf("modified"))
	})
	if err := s.Apply(ctx, KilledChange{Name: "a", PodUID: "pa", ExitCode: NoExit, At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if conflicts != 3 {
		t.Errorf("%d updates, want 2 conflicts then 1 write", conflicts)
	}
	rec, _ := s.Read(ctx)
	if a, b := rec.Entry("a"), rec.Entry("b"); a.State != StateKilled || b.State != StateKilled || *b.ExitCode != 2 {
		t.Fatalf("a %+v\nb %+v", a, b)
	}
}

// TestAnOutageIsRiddenOut: a write that finds the API briefly away (an
// apiserver restart) is tried again, so a kill's or restart's change is
// not lost to it.
func TestAnOutageIsRiddenOut(t *testing.T) {
	client := fake.NewClientset()
	s := New(client, "demo")
	if _, err := s.Claim(ctx, Header{Source: Source{BootFile: "b.yaml"}, Processes: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, []Entry{*booted("a", "pa")}); err != nil {
		t.Fatal(err)
	}
	outages := 0
	client.PrependReactor("*", "configmaps", func(k8stesting.Action) (bool, runtime.Object, error) {
		if outages++; outages > 3 {
			return false, nil, nil
		}
		return true, nil, apierrors.NewServiceUnavailable("apiserver restarting")
	})
	if err := s.Apply(ctx, KilledChange{Name: "a", PodUID: "pa", ExitCode: 1, At: time.Now()}); err != nil {
		t.Fatalf("Apply across a brief outage: %v", err)
	}
	rec, _ := s.Read(ctx)
	if a := rec.Entry("a"); a.State != StateKilled {
		t.Fatalf("a %+v, want Killed", a)
	}
}

func TestUnreadableRecordSaysHowToRemoveIt(t *testing.T) {
	client := fake.NewClientset()
	s := New(client, "demo")
	if _, err := s.Claim(ctx, Header{Source: Source{BootFile: "b.yaml"}, Processes: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, []Entry{*booted("a", types.UID("p"))}); err != nil {
		t.Fatal(err)
	}
	cm, _ := client.CoreV1().ConfigMaps("demo").Get(ctx, ShardName(0), metav1GetOptions)
	cm.BinaryData[EntriesKey] = []byte("garbage")
	client.CoreV1().ConfigMaps("demo").Update(ctx, cm, metav1UpdateOptions)
	_, err := s.Read(ctx)
	if err == nil || err.Error() != `the record of session "demo" is unreadable (configmap kubectl-drunc-record-0: not gzip data: unexpected EOF); `+
		"`kubectl delete configmap -n demo -l kubectl-drunc/record` removes it, and the session then works as one without a record" {
		t.Fatalf("err %v", err)
	}
}

var (
	metav1GetOptions    = metav1.GetOptions{}
	metav1UpdateOptions = metav1.UpdateOptions{}
)
