package sessionrecord

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/dunesession"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
)

// configMapLimit is what the apiserver accepts in one ConfigMap's data and
// binaryData together.
const configMapLimit = 1 << 20

// realisticEntries renders a DUNE-like session of n processes exactly as
// boot does and returns their entries as boot records them.
func realisticEntries(t testing.TB, n int) []Entry {
	t.Helper()
	s, st, err := dunesession.Session("np04-large", n)
	if err != nil {
		t.Fatal(err)
	}
	uid, gid := int64(1000), int64(1000)
	objs, err := podspec.Render(s, st, podspec.Options{RunAsUser: &uid, RunAsGroup: &gid})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	out := make([]Entry, len(objs.Processes))
	for i := range objs.Processes {
		r := &objs.Processes[i]
		pod := r.Pod.DeepCopy()
		podspec.SetLCSAddress(pod, "10.96.12.34")
		if out[i], err = NewEntry(r, pod, types.UID(uuid.NewString()), at); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestTenThousandProcesses: a 10,000-process record fits its shards with
// the margin the package doc promises, also once every process is killed
// (the largest an entry gets), and reports the sizes.
func TestTenThousandProcesses(t *testing.T) {
	const n = 10000
	entries := realisticEntries(t, n)
	if len(entries) != n {
		t.Fatalf("%d entries", len(entries))
	}
	one, _ := json.Marshal(entries[len(entries)-1])
	raw := 0
	for i := range entries {
		b, _ := json.Marshal(&entries[i])
		raw += len(b)
	}
	shards := ShardsFor(n)
	for _, state := range []string{"booted", "killed"} {
		if state == "killed" {
			for i := range entries {
				KilledChange{Name: entries[i].Name, PodUID: entries[i].PodUID, ExitCode: NoExit, At: time.Now()}.apply(&entries[i])
			}
		}
		byShard := make([]map[string]*Entry, shards)
		for i := range byShard {
			byShard[i] = map[string]*Entry{}
		}
		for i := range entries {
			byShard[ShardOf(entries[i].Name, shards)][entries[i].Name] = &entries[i]
		}
		start := time.Now()
		total, largest, most := 0, 0, 0
		for i, m := range byShard {
			b, err := encodeEntries(m)
			if err != nil {
				t.Fatalf("shard %d (%s): %v", i, state, err)
			}
			if len(b) > MaxShardBytes || len(b) > configMapLimit/2 {
				t.Errorf("shard %d (%s) is %d bytes, more than half of a ConfigMap", i, state, len(b))
			}
			back, err := decodeEntries(b)
			if err != nil || len(back) != len(m) {
				t.Fatalf("shard %d does not read back: %d entries, %v", i, len(back), err)
			}
			total += len(b)
			largest, most = max(largest, len(b)), max(most, len(m))
		}
		t.Logf("%d processes, %s: one entry %d B of JSON, all %s of JSON; %d shards, %s compressed (%.0fx), largest shard %s (%d entries, %.0f%% of the 1 MiB limit); encoded in %s",
			n, state, len(one), kib(raw), shards, kib(total), float64(raw)/float64(total), kib(largest), most,
			100*float64(largest)/configMapLimit, time.Since(start).Round(time.Millisecond))
	}
}

func kib(n int) string { return fmt.Sprintf("%.1f KiB", float64(n)/1024) }
