package lifecycle

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessionrecord"
)

// FromSessionRecord: a process without a pod (killed, flushed, lost) is
// created again from the spec its session record keeps.
const FromSessionRecord = "session record"

// RecordedProcess is a process to bring back from its session's record.
type RecordedProcess struct {
	Session string
	Entry   *sessionrecord.Entry
}

// planRecorded works out the objects of processes without a pod, from the
// spec recorded at boot (same name, uuid, tree id and spec). A service
// left behind by a pod deleted another way (its garbage collection may
// lag) is deleted before the new one is created, as restart does for a
// live process.
func planRecorded(ctx context.Context, cfg Config, recorded []RecordedProcess, res *RestartResult) []*plan {
	keys := cfg.Cache.Keys()
	var plans []*plan
	for _, rp := range recorded {
		pl, err := planFromRecord(ctx, cfg, rp)
		if err != nil {
			res.Recreated = append(res.Recreated, Recreated{Session: rp.Session, Name: rp.Entry.Name, UUID: rp.Entry.UUID, From: FromSessionRecord, Err: err})
			continue
		}
		if !Owned(pl.pod, keys) {
			res.Recreated = append(res.Recreated, Recreated{Session: rp.Session, Name: rp.Entry.Name, UUID: rp.Entry.UUID, From: FromSessionRecord, Err: errNotOwned("recorded pod", rp.Session, rp.Entry.Name, keys)})
			continue
		}
		plans = append(plans, pl)
	}
	return plans
}

func planFromRecord(ctx context.Context, cfg Config, rp RecordedProcess) (*plan, error) {
	pod, svc, err := rp.Entry.Objects()
	if err != nil {
		return nil, err
	}
	pod.Namespace, pod.UID, pod.ResourceVersion = rp.Session, "", ""
	pl := &plan{pod: pod, service: svc, from: FromSessionRecord}
	if rp.Entry.State == sessionrecord.StateBooted {
		pl.replaces = rp.Entry.PodUID // Lost: the name has no pod
	}
	if svc == nil {
		return pl, nil
	}
	svc.Namespace = rp.Session
	old, err := cfg.Client.CoreV1().Services(rp.Session).Get(ctx, svc.Name, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
	case err != nil:
		return nil, fmt.Errorf("reading its service: %w", err)
	case Owned(old, cfg.Cache.Keys()):
		pl.oldSvc = old
	}
	return pl, nil
}

// toCreate is one process restart creates again.
type toCreate struct {
	view process.View
	plan *plan
	// gone: its old pod is gone (always, for a recorded process).
	gone bool
}

// restartChanges are the record changes of a restart: each process whose
// old pod it deleted is Killed, then Booted again with its new pod (one
// batch, so one write per shard touched); a process created from the
// record is Booted with its new pod.
func restartChanges(kill *KillResult, res *RestartResult) Changes {
	out := KilledChanges(kill.Killed)
	now := time.Now()
	for _, rc := range res.Recreated {
		if rc.Pod != nil {
			out.Add(rc.Session, sessionrecord.BootedChange{Name: rc.Name, PodUID: rc.Pod.UID, At: now, Replaces: rc.replaces})
		}
	}
	return out
}
