package bootexec

import (
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Outcome is what became of one process.
type Outcome string

const (
	// Ready: created, and Ready when last checked.
	Ready Outcome = "Ready"
	// Created: created; not (yet) Ready, or not waited for.
	Created Outcome = "Created"
	// CreateFailed: the API refused its pod or service (Reason says why).
	CreateFailed Outcome = "CreateFailed"
	// NotCreated: never attempted (an earlier stage failed, or interrupted).
	NotCreated Outcome = "NotCreated"
)

// ProcessResult is one process of the run.
type ProcessResult struct {
	Name    string
	Host    string
	Role    session.Role
	Stage   string
	Outcome Outcome
	// Status is the process status (ps's STATUS) when last seen.
	Status string
	// Reason says why it is not Ready: the API's refusal, the pod's
	// message and last event, or what blocked it.
	Reason string
	// AlreadyRunning: the session had it before this run (or a concurrent
	// boot created it); the run did not create it.
	AlreadyRunning bool
	// RolledBack: this run deleted it again (--rollback).
	RolledBack bool
}

// StageTime is how long a boot stage took.
type StageTime struct {
	Name      string
	Processes int
	// Create is from the first create to the last answer.
	Create time.Duration
	// Ready is the wait for Ready after Create (gates only).
	Ready time.Duration
	// Probe is the reachability check after Ready (gates only).
	Probe time.Duration
}

// Result is what a run did, process by process, in boot order.
type Result struct {
	Session   string
	Processes []ProcessResult
	// Waited: the run waited for readiness (--wait); without it, Created
	// counts as success.
	Waited bool
	// Timings of the steps, for progress and benchmarks.
	Nodes, Namespace time.Duration
	Stages           []StageTime
	Wait             time.Duration
	Rollback         time.Duration
	Total            time.Duration
	// Interrupted: ctx ended (Ctrl-C) before the run finished creating.
	Interrupted bool
	// Blocked says why later stages were not created ("" if none was).
	Blocked string
	// SessionDeleted: the session namespace was deleted during the run
	// (a terminate from elsewhere), which stopped it.
	SessionDeleted bool
	// RolledBack: --rollback deleted what the run created.
	RolledBack bool
	// NamespaceDeleted: the rollback also deleted the session namespace.
	NamespaceDeleted bool
	// EmptyRemoved: the run stopped before it created any process, and
	// deleted the namespace it had created.
	EmptyRemoved bool
	// Completed: the session existed; the run created only what was missing.
	Completed bool
	// RecordError says why the session record could not be written ("" when
	// it was): the processes run, but cannot be brought back from it.
	RecordError string
}

// Count returns how many processes have this outcome.
func (r *Result) Count(o Outcome) int {
	n := 0
	for _, p := range r.Processes {
		if p.Outcome == o {
			n++
		}
	}
	return n
}

// CountAlreadyRunning is how many processes the session had before the run.
func (r *Result) CountAlreadyRunning() int {
	n := 0
	for _, p := range r.Processes {
		if p.AlreadyRunning {
			n++
		}
	}
	return n
}

// NotReady returns the processes that did not come up, in boot order:
// not Ready, or (without waiting) not created.
func (r *Result) NotReady() []ProcessResult {
	var out []ProcessResult
	for _, p := range r.Processes {
		if p.Outcome != Ready && (r.Waited || p.Outcome != Created) {
			out = append(out, p)
		}
	}
	return out
}
