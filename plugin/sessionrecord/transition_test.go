package sessionrecord

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

func booted(name string, uid types.UID) *Entry {
	return &Entry{Name: name, UUID: "u-" + name, State: StateBooted, PodUID: uid, Spec: []byte(`{"pod":{}}`)}
}

// TestTransitions walks the state machine of the package doc, including
// the reports that arrive late and must change nothing.
func TestTransitions(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name      string
		start     *Entry
		change    Change
		wantState State
		wantPod   types.UID
		wantExit  *int32
	}{
		{"kill a running process", booted("a", "p1"), KilledChange{Name: "a", PodUID: "p1", ExitCode: NoExit, At: at}, StateKilled, "p1", ptr(NoExit)},
		{"kill an exited process keeps its code", booted("a", "p1"), KilledChange{Name: "a", PodUID: "p1", ExitCode: 3, At: at}, StateKilled, "p1", ptr(3)},
		{"kill of an older pod changes nothing", booted("a", "p2"), KilledChange{Name: "a", PodUID: "p1", ExitCode: NoExit, At: at}, StateBooted, "p2", nil},
		{"restart of a killed process", killed("a", "p1"), BootedChange{Name: "a", PodUID: "p2", At: at}, StateBooted, "p2", nil},
		{"late report of the killed pod's boot", killed("a", "p1"), BootedChange{Name: "a", PodUID: "p1", At: at}, StateKilled, "p1", ptr(NoExit)},
		{"flush a killed process", killed("a", "p1"), FlushedChange{Name: "a", At: at}, StateFlushed, "p1", ptr(NoExit)},
		{"flush an exited process", booted("a", "p1"), FlushedChange{Name: "a", PodUID: "p1", At: at}, StateFlushed, "p1", nil},
		{"flush of an older pod changes nothing", booted("a", "p2"), FlushedChange{Name: "a", PodUID: "p1", At: at}, StateBooted, "p2", nil},
		{"kill after flush changes nothing", flushed("a", "p1"), KilledChange{Name: "a", PodUID: "p1", At: at}, StateFlushed, "p1", nil},
		{"restart of a flushed process", flushed("a", "p1"), BootedChange{Name: "a", PodUID: "p3", At: at}, StateBooted, "p3", nil},
		{"late report of the flushed pod's boot", flushed("a", "p1"), BootedChange{Name: "a", PodUID: "p1", At: at}, StateFlushed, "p1", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.change.apply(c.start)
			if got.State != c.wantState || got.PodUID != c.wantPod || !sameCode(got.ExitCode, c.wantExit) {
				t.Fatalf("got state %s pod %s exit %v, want %s %s %v", got.State, got.PodUID, deref(got.ExitCode), c.wantState, c.wantPod, deref(c.wantExit))
			}
			if got.State == StateBooted && (got.KilledAt != nil || got.FlushedAt != nil || got.GonePodUID != "") {
				t.Errorf("a booted entry keeps the marks of its past: %+v", got)
			}
		})
	}
}

// TestRacingKillAndRestartConverge: a kill and a restart of one process
// end in the same state whichever report lands first.
func TestRacingKillAndRestartConverge(t *testing.T) {
	at := time.Now()
	kill := KilledChange{Name: "a", PodUID: "p1", ExitCode: NoExit, At: at}
	restart := BootedChange{Name: "a", PodUID: "p2", At: at}
	one := restart.apply(kill.apply(booted("a", "p1")))
	two := kill.apply(restart.apply(booted("a", "p1")))
	if one.State != StateBooted || two.State != StateBooted || one.PodUID != "p2" || two.PodUID != "p2" {
		t.Fatalf("kill then restart: %s %s; restart then kill: %s %s; want Booted p2 both", one.State, one.PodUID, two.State, two.PodUID)
	}
}

func TestChangesWithoutEntryAreIgnored(t *testing.T) {
	for _, c := range []Change{KilledChange{Name: "x"}, FlushedChange{Name: "x"}, BootedChange{Name: "x", PodUID: "p"}} {
		if got := c.apply(nil); got != nil {
			t.Errorf("%T on no entry made %+v", c, got)
		}
	}
}

func killed(name string, uid types.UID) *Entry {
	return KilledChange{Name: name, PodUID: uid, ExitCode: NoExit, At: time.Now()}.apply(booted(name, uid))
}

func flushed(name string, uid types.UID) *Entry {
	return FlushedChange{Name: name, PodUID: uid, At: time.Now()}.apply(booted(name, uid))
}

func ptr(v int32) *int32 { return &v }

func sameCode(a, b *int32) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}
