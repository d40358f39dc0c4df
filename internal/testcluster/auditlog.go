package testcluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// auditEvent is the part of an audit event AuditWrites reads.
type auditEvent struct {
	Verb      string `json:"verb"`
	UserAgent string `json:"userAgent"`
	ObjectRef struct {
		Resource, Namespace, Name string
	} `json:"objectRef"`
	ResponseStatus struct {
		Code int `json:"code"`
	} `json:"responseStatus"`
}

// readAuditWrites reads the audit log at path from offset mark: the
// plugin's writes in or to the watched namespaces, and whether the
// sentinel ConfigMap of namespace sentinel is logged yet.
func readAuditWrites(path string, mark int64, sentinel string, watched map[string]bool) (writes []string, seen bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if _, err := f.Seek(mark, io.SeekStart); err != nil {
		return nil, false, err
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev auditEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		ref := ev.ObjectRef
		if ref.Namespace == sentinel && ref.Resource == "configmaps" && ref.Name == "sentinel" {
			seen = true
		}
		if ev.Verb == "get" || ev.Verb == "list" || ev.Verb == "watch" || !strings.HasPrefix(ev.UserAgent, PluginUserAgent) {
			continue
		}
		if watched[ref.Namespace] || (ref.Resource == "namespaces" && watched[ref.Name]) {
			writes = append(writes, fmt.Sprintf("%s %s %s/%s (HTTP %d)", ev.Verb, ref.Resource, ref.Namespace, ref.Name, ev.ResponseStatus.Code))
		}
	}
	return writes, seen, sc.Err()
}
