package lifecycle

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/hosts"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/process"
)

// checkRestartHosts refuses, before anything is killed, a restart whose
// processes are pinned to a host that cannot run them (missing, NotReady,
// cordoned): the new pod would stay Pending and the process, killed, down.
func checkRestartHosts(ctx context.Context, cfg Config, pods []*corev1.Pod, recorded []RecordedProcess) error {
	var pins hosts.Pins
	sessions := map[string]bool{}
	pin := func(session, name, host string) {
		sessions[session] = true
		if host != "" {
			pins.Add(host, session+"/"+name)
		}
	}
	for _, p := range pods {
		v := process.FromPod(p, cfg.Cache.Keys())
		pin(v.Session, v.Name, v.Host)
	}
	for _, rp := range recorded {
		pin(rp.Session, rp.Entry.Name, rp.Entry.Host)
	}
	if pins.Len() == 0 {
		return nil
	}
	doing := fmt.Sprintf("restart processes of %d sessions", len(sessions))
	for s := range sessions {
		if len(sessions) == 1 {
			doing = fmt.Sprintf("restart processes of session %q", s)
		}
	}
	_, err := hosts.Check(ctx, cfg.Client, &pins, doing, "nothing was killed")
	return err
}
