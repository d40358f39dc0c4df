package sessionrecord

import (
	"strings"
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

// TestKillLandingBeforeItsBoot: a boot creates pod p2 and, before its
// report lands, another terminal kills p2 and reports it: p2's boot,
// landing last, must not name a pod that is gone.
func TestKillLandingBeforeItsBoot(t *testing.T) {
	at := time.Now()
	kill := KilledChange{Name: "a", PodUID: "p2", ExitCode: NoExit, At: at}
	boot := BootedChange{Name: "a", Entry: booted("a", "p2"), PodUID: "p2", At: at}
	for name, start := range map[string]func(string, types.UID) *Entry{"killed before": killed, "flushed before": flushed} {
		got := boot.apply(kill.apply(start("a", "p1")))
		if got.State == StateBooted {
			t.Errorf("%s: kill of p2, then its boot: the entry is Booted as %s, whose deletion is recorded", name, got.PodUID)
		}
		if other := kill.apply(boot.apply(start("a", "p1"))); other.State != StateKilled || other.PodUID != "p2" {
			t.Errorf("%s: boot of p2, then its kill: %s %s, want Killed p2", name, other.State, other.PodUID)
		}
	}
}

// TestBootsLandingOutOfOrder: p2 was booted, then killed, then p3
// booted; p3's boot lands first, then p2's, then p2's kill: the entry
// must end naming p3, the one pod not gone.
func TestBootsLandingOutOfOrder(t *testing.T) {
	at := time.Now()
	e := killed("a", "p1")
	for _, c := range []Change{
		BootedChange{Name: "a", PodUID: "p3", At: at},
		BootedChange{Name: "a", Entry: booted("a", "p2"), PodUID: "p2", At: at},
		KilledChange{Name: "a", PodUID: "p2", ExitCode: NoExit, At: at},
	} {
		e = c.apply(e)
	}
	if e.State != StateBooted || e.PodUID != "p3" || len(e.OtherPods) != 0 {
		t.Fatalf("got %s %s (others %v), want Booted p3", e.State, e.PodUID, e.OtherPods)
	}
}

// TestReportsCommute: for histories of one process (pods one after the
// other, each booted, most of them killed or flushed), every order in
// which their reports can land ends with the entry naming the pod alive,
// or, when none is, in a state without a pod.
func TestReportsCommute(t *testing.T) {
	at := time.Now()
	b := func(uid types.UID) Change { return BootedChange{Name: "a", PodUID: uid, At: at} }
	boot := func(uid types.UID) Change {
		return BootedChange{Name: "a", Entry: booted("a", uid), PodUID: uid, At: at}
	}
	k := func(uid types.UID) Change { return KilledChange{Name: "a", PodUID: uid, ExitCode: NoExit, At: at} }
	f := func(uid types.UID) Change { return FlushedChange{Name: "a", PodUID: uid, At: at} }
	histories := []struct {
		reports []Change // after p1's boot, recorded first
		alive   types.UID
	}{
		{[]Change{k("p1"), boot("p2"), k("p2"), b("p3")}, "p3"},
		{[]Change{f("p1"), boot("p2"), k("p2")}, ""},
		{[]Change{k("p1"), b("p2"), f("p2"), boot("p3"), k("p3"), b("p4")}, "p4"},
		{[]Change{k("p1"), boot("p2"), k("p2"), boot("p3"), f("p3")}, ""},
	}
	for i, h := range histories {
		permute(h.reports, func(order []Change) {
			e := booted("a", "p1")
			for _, c := range order {
				e = c.apply(e)
			}
			switch {
			case h.alive != "" && (e.State != StateBooted || e.PodUID != h.alive):
				t.Fatalf("history %d, order %s: %s %s, want Booted %s", i, describe(order), e.State, e.PodUID, h.alive)
			case h.alive == "" && e.State == StateBooted:
				t.Fatalf("history %d, order %s: Booted %s, but no pod is alive", i, describe(order), e.PodUID)
			}
		})
	}
}

// describe names the changes, as booted(p2) killed(p1)...
func describe(cs []Change) string {
	var out []string
	for _, c := range cs {
		switch c := c.(type) {
		case BootedChange:
			out = append(out, "booted("+string(c.PodUID)+")")
		case KilledChange:
			out = append(out, "killed("+string(c.PodUID)+")")
		case FlushedChange:
			out = append(out, "flushed("+string(c.PodUID)+")")
		}
	}
	return strings.Join(out, " ")
}

// permute calls fn with every order of cs.
func permute(cs []Change, fn func([]Change)) {
	var rec func(k int)
	rec = func(k int) {
		if k == len(cs) {
			fn(cs)
			return
		}
		for i := k; i < len(cs); i++ {
			cs[k], cs[i] = cs[i], cs[k]
			rec(k + 1)
			cs[k], cs[i] = cs[i], cs[k]
		}
	}
	rec(0)
}

// A Lost process (its pod p1 deleted another way) restarted from the
// record, then killed, reads Killed: the restart reports p1 gone. Without
// that report the kill of p2 would name p1 again, and the process would
// read Lost after every later restart and kill.
func TestRestartOfALostProcessThenKill(t *testing.T) {
	at := time.Now()
	kill := KilledChange{Name: "a", PodUID: "p2", ExitCode: NoExit, At: at}
	got := kill.apply(BootedChange{Name: "a", PodUID: "p2", At: at, Replaces: "p1"}.apply(booted("a", "p1")))
	if got.State != StateKilled || got.GonePodUID != "p2" || len(got.OtherPods) != 0 {
		t.Errorf("got state %s, gone pod %s, other pods %v; want Killed, p2, none", got.State, got.GonePodUID, got.OtherPods)
	}
	// An entry an earlier release left naming p1 again: the next restart
	// repairs it.
	broken := booted("a", "p1")
	broken.OtherPods = nil
	restart := BootedChange{Name: "a", PodUID: "p3", At: at, Replaces: "p1"}
	got = KilledChange{Name: "a", PodUID: "p3", ExitCode: NoExit, At: at}.apply(restart.apply(broken))
	if got.State != StateKilled || got.GonePodUID != "p3" {
		t.Errorf("repaired entry: state %s, gone pod %s; want Killed, p3", got.State, got.GonePodUID)
	}
	if without := kill.apply(BootedChange{Name: "a", PodUID: "p2", At: at}.apply(booted("a", "p1"))); without.State != StateBooted || without.PodUID != "p1" {
		t.Errorf("without Replaces: state %s pod %s; the test no longer shows the case it guards", without.State, without.PodUID)
	}
}
