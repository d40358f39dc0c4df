package sessionrecord

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// Digest identifies a rendered configuration: the sha256 of every
// process's pod and service as rendered, without the uuids the renderer
// draws at random. The same configuration gives the same digest in every
// terminal; any change to what would be created changes it.
func Digest(objs *podspec.Objects) string {
	procs := make([]podspec.Rendered, len(objs.Processes))
	copy(procs, objs.Processes)
	sort.Slice(procs, func(i, j int) bool { return procs[i].Process.Name < procs[j].Process.Name })
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, r := range procs {
		// Encoding these API types cannot fail.
		_ = enc.Encode(withoutUUID(r.Pod))
		_ = enc.Encode(r.Service)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// withoutUUID is pod without the uuid label and without the uuid in its
// boot record annotation.
func withoutUUID(pod *corev1.Pod) *corev1.Pod {
	p := pod.DeepCopy()
	for k := range p.Labels {
		if strings.HasPrefix(k, "uuid.") {
			delete(p.Labels, k)
		}
	}
	if text, ok := p.Annotations[session.BootRecordAnnotation]; ok {
		if br, err := session.DecodeBootRecord(text); err == nil {
			br.Process.UUID = ""
			if s, err := session.EncodeBootRecord(br); err == nil {
				p.Annotations[session.BootRecordAnnotation] = s
			}
		}
	}
	return p
}
