package testcluster

import "regexp"

var kwokDeletedRE = regexp.MustCompile(`(?m)^(?:error: )?(\S+) was deleted again (?:right after restart created it|while restart waited for it to be Ready)`)

// KwokDeletedRecreated returns the processes ("session/name") that restart
// reported deleted right after it recreated them. kwok's pod-delete stage
// (v0.8.0) sometimes plays twice for one deletion and deletes by name,
// without the pod's UID: the second delete can hit the pod restart has just
// created under the same name. A kubelet deletes with the UID precondition
// and cannot do this; restart detects it and fails naming the process,
// which is right, but that pod is then gone, so a test cannot go on
// checking it.
func KwokDeletedRecreated(stderr string) map[string]bool {
	out := map[string]bool{}
	for _, m := range kwokDeletedRE.FindAllStringSubmatch(stderr, -1) {
		out[m[1]] = true
	}
	return out
}
