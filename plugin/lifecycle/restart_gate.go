package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/procreate"
)

// gateOf is one session's part of a gate stage.
type gateOf struct {
	session string
	members []*Recreated
	// err: why the later processes of the session are not created (nil:
	// the gate passed); notCreated: one of members could not be created.
	err        error
	notCreated bool
}

// passGates passes a gate stage just created (made), one session at a
// time, all at once, as boot passes it (procreate.Gate): its processes
// Ready within --timeout, then, with Probe, answering on their node, each
// probe within a --timeout of its own. Only a session with a later
// process to create waits; when its gate does not pass (or one of its
// gate processes could not be created), blocked says so for every later
// process of the session, which is then not created.
//
// made are the stage's entries of res.Recreated: they are marked through
// pointers, before anything else is appended to it.
func (r *recreation) passGates(what string, made []Recreated, later []restartStage, o RestartOptions, res *RestartResult, blocked map[string]error) {
	bySession := map[string]*gateOf{}
	var gates []*gateOf
	for i := range made {
		rc := &made[i]
		if blocked[rc.Session] != nil || !behind(later, rc.Session) {
			continue
		}
		g := bySession[rc.Session]
		if g == nil {
			g = &gateOf{session: rc.Session}
			bySession[rc.Session] = g
			gates = append(gates, g)
		}
		g.members = append(g.members, rc)
	}
	var wg sync.WaitGroup
	for _, g := range gates {
		wg.Go(func() { r.passGate(what, g, o) })
	}
	wg.Wait()
	var errs []error
	for _, g := range gates {
		if g.err == nil {
			continue
		}
		errs = append(errs, g.err)
		blocked[g.session] = &behindGateError{what: what, names: names(g.members), notCreated: g.notCreated}
	}
	res.GateErr = errors.Join(res.GateErr, errors.Join(errs...))
}

// passGate passes one session's gate; a process of it that could not be
// created fails it at once.
func (r *recreation) passGate(what string, g *gateOf, o RestartOptions) {
	var members []procreate.Member
	for _, rc := range g.members {
		if rc.Err != nil {
			g.notCreated = true
			g.err = fmt.Errorf("the %s %s/%s could not be created, so nothing behind it was", what, rc.Session, rc.Name)
			return
		}
		members = append(members, procreate.Member{Namespace: rc.Session, Name: rc.Name, Service: rc.Service})
	}
	progressf(r.cfg.Progress, "waiting for the %s %s to be Ready before creating what needs it", what, names(g.members))
	gate := procreate.Gate{
		Cache: r.cfg.Cache, Probe: o.Probe, ProbeFakeNodes: o.ProbeFakeNodes, Interval: o.probeInterval(),
		ReadyTimeout: o.ReadyTimeout, ProbeTimeout: o.ReadyTimeout,
		Node: r.nodeOf, OnWaiting: waitingLines(r.cfg),
	}
	res := gate.Pass(r.waitCtx, members)
	if res.NotReady != nil {
		why := res.NotReady
		if cause := context.Cause(r.waitCtx); cause != nil && r.ctx.Err() == nil {
			why = cause
		}
		g.err = fmt.Errorf("the %s %s is not Ready, so nothing behind it was created: %w", what, names(g.members), why)
		for _, rc := range g.members {
			rc.gateFailed = true
		}
		return
	}
	errs := r.probed(res.Probed)
	for _, rc := range g.members {
		rc.checked = true // not probed again by the final wait
	}
	if err := errors.Join(errs...); err != nil {
		g.err = fmt.Errorf("the %s %s does not answer, so nothing behind it was created: %w", what, names(g.members), err)
		for _, rc := range g.members {
			rc.gateFailed = true
		}
		return
	}
	progressf(r.cfg.Progress, "the %s %s is up (%s): creating what needs it", what, names(g.members), upHow(o, res))
}

// upHow says how a gate was found up.
func upHow(o RestartOptions, res procreate.GateResult) string {
	var answers []string
	for _, p := range res.Probed {
		if !p.Skipped {
			answers = append(answers, p.Target.Proto()+" on "+p.Target.Addr)
		}
	}
	switch {
	case !o.Probe:
		return "Ready; --no-probe: not probed"
	case len(answers) > 0:
		return "Ready, answers " + strings.Join(answers, ", ")
	}
	return "Ready"
}

// behind tells whether a later stage has a process of the session.
func behind(later []restartStage, session string) bool {
	for _, st := range later {
		for _, it := range st.items {
			if it.session() == session {
				return true
			}
		}
	}
	return false
}

// names lists processes as session/name, sorted.
func names(rcs []*Recreated) string {
	out := make([]string, len(rcs))
	for i, rc := range rcs {
		out[i] = rc.Session + "/" + rc.Name
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// behindGateError: a process was not created because a gate of its
// session did not pass (boot would not have created it either).
type behindGateError struct {
	what, names string
	// notCreated: a process of the gate could not be created (else they
	// were, but are not up).
	notCreated bool
}

func (e *behindGateError) Error() string {
	state := "is not up"
	if e.notCreated {
		state = "could not be created"
	}
	return fmt.Sprintf("not created: it needs the %s %s, which %s; restart it again once that is up", e.what, e.names, state)
}
