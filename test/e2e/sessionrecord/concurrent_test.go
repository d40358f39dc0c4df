package sessionrecord

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// want is what one process's entry must end as.
type want struct {
	state sessionrecord.State
	pod   types.UID
	exit  *int32 // nil: none recorded
}

// TestConcurrentWritersLoseNothing: two clients (the admin, and an
// operator holding only the shipped rules) write one session's record at
// once: each boots half of the processes, then 32 goroutines kill, flush
// and restart processes, some racing on the same process. Every entry
// ends as its own history says, and the API did refuse stale writes
// (Conflict) on the way, so the retries were exercised.
func TestConcurrentWritersLoseNothing(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "record")
	grantShippedRules(t, tc, ns, testcluster.UserOperator)
	var conflicts atomic.Int32
	clients := []*sessionrecord.Store{
		sessionrecord.New(countingClient(t, tc.Config, &conflicts), ns),
		sessionrecord.New(countingClient(t, tc.UserConfig(t, testcluster.UserOperator), &conflicts), ns),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	objs := rendered(t, ns, 120)
	all := entries(t, objs)
	hdr := sessionrecord.Header{Source: sessionrecord.Source{BootFile: "big.yaml"}, Digest: sessionrecord.Digest(objs), Processes: len(all)}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for c, store := range clients {
		wg.Go(func() {
			if _, err := store.Claim(ctx, hdr); err != nil {
				errs <- err
				return
			}
			// Two identical boots: each records the half it created.
			half := all[c*len(all)/2 : (c+1)*len(all)/2]
			if err := store.Put(ctx, half); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	failOn(t, errs)

	expect := map[string]want{}
	for _, e := range all {
		expect[e.Name] = want{sessionrecord.StateBooted, e.PodUID, nil}
	}
	for g := 0; g < 24; g++ {
		e := all[2+g] // past the connection server and root controller
		store := clients[g%2]
		steps, w := history(e.Name, e.PodUID, g%4)
		expect[e.Name] = w
		wg.Go(func() {
			for _, ch := range steps {
				if err := store.Apply(ctx, ch); err != nil {
					errs <- fmt.Errorf("%s: %w", e.Name, err)
					return
				}
			}
		})
	}
	for g := 0; g < 4; g++ {
		// A kill and a restart of one process from the two clients at once.
		e := all[40+g]
		next := types.UID(e.Name + "-1")
		expect[e.Name] = want{sessionrecord.StateBooted, next, nil}
		wg.Go(func() {
			errs <- clients[0].Apply(ctx, sessionrecord.KilledChange{Name: e.Name, PodUID: e.PodUID, ExitCode: sessionrecord.NoExit, At: time.Now()})
		})
		wg.Go(func() {
			errs <- clients[1].Apply(ctx, sessionrecord.BootedChange{Name: e.Name, PodUID: next, At: time.Now()})
		})
	}
	wg.Wait()
	failOn(t, errs)

	checkRecord(t, ctx, clients, expect)
	t.Logf("%d Conflict answers, each retried with a fresh read", conflicts.Load())
	if conflicts.Load() == 0 {
		t.Error("no write was refused as stale: the test did not make the writers race")
	}
}

// checkRecord reads the record with every client and compares each entry
// with what its history says.
func checkRecord(t *testing.T, ctx context.Context, clients []*sessionrecord.Store, expect map[string]want) {
	t.Helper()
	for c, store := range clients {
		rec, err := store.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Entries) != len(expect) {
			t.Fatalf("client %d reads %d entries, want %d", c, len(rec.Entries), len(expect))
		}
		for name, w := range expect {
			e := rec.Entry(name)
			if e == nil || e.State != w.state || e.PodUID != w.pod || !sameExit(e.ExitCode, w.exit) {
				t.Errorf("client %d: %s is %+v, want %+v", c, name, e, w)
				continue
			}
			if pod, svc, err := e.Objects(); err != nil || pod.Name != name || svc.Name != name {
				t.Errorf("%s: recorded spec %v %v %v", name, pod, svc, err)
			}
		}
	}
}

// history is a sequence of changes to one process, and how it must end.
func history(name string, pod0 types.UID, kind int) ([]sessionrecord.Change, want) {
	now := time.Now()
	pod1 := types.UID(name + "-1")
	code := func(c int32) *int32 { return &c }
	switch kind {
	case 0: // killed while running
		return []sessionrecord.Change{sessionrecord.KilledChange{Name: name, PodUID: pod0, ExitCode: sessionrecord.NoExit, At: now}},
			want{sessionrecord.StateKilled, pod0, code(sessionrecord.NoExit)}
	case 1: // killed after it exited with 3, restarted
		return []sessionrecord.Change{
			sessionrecord.KilledChange{Name: name, PodUID: pod0, ExitCode: 3, At: now},
			sessionrecord.BootedChange{Name: name, PodUID: pod1, At: now},
		}, want{sessionrecord.StateBooted, pod1, nil}
	case 2: // killed, then flushed
		return []sessionrecord.Change{
			sessionrecord.KilledChange{Name: name, PodUID: pod0, ExitCode: sessionrecord.NoExit, At: now},
			sessionrecord.FlushedChange{Name: name, At: now},
		}, want{sessionrecord.StateFlushed, pod0, code(sessionrecord.NoExit)}
	default: // exited and flushed, restarted, killed after exiting with 137
		return []sessionrecord.Change{
			sessionrecord.FlushedChange{Name: name, PodUID: pod0, At: now},
			sessionrecord.BootedChange{Name: name, PodUID: pod1, At: now},
			sessionrecord.KilledChange{Name: name, PodUID: pod1, ExitCode: 137, At: now},
		}, want{sessionrecord.StateKilled, pod1, code(137)}
	}
}

func sameExit(a, b *int32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func failOn(t *testing.T, errs chan error) {
	t.Helper()
	for {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		default:
			return
		}
	}
}
