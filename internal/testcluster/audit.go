package testcluster

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PluginUserAgent starts the User-Agent of every request the plugin makes
// (kubectl-drunc/<version>).
const PluginUserAgent = "kubectl-drunc/"

// AuditLogPath is the apiserver's audit log: every write but the control
// plane's own, at Metadata level (hack/cluster/audit-policy.yaml).
func (c *Cluster) AuditLogPath() string { return filepath.Join(c.StateDir, "audit", "audit.log") }

// AuditMark is the audit log's current end: AuditWrites reads what the
// log records after it.
func (c *Cluster) AuditMark(t testing.TB) int64 {
	t.Helper()
	st, err := os.Stat(c.AuditLogPath())
	if err != nil {
		t.Fatalf("the test cluster's audit log: %v", err)
	}
	return st.Size()
}

// AuditWrites returns the write requests (any verb but get, list and
// watch, whatever the answer: a refused create is a write attempt) the
// audit log recorded after mark with the plugin's User-Agent, in these
// namespaces or to them, one line each: "verb resource namespace/name
// (HTTP code)". The log backend writes an event once its request is
// answered, so AuditWrites first makes a write of its own and waits (30 s
// at most) until the log shows it: every earlier request is logged by then.
func (c *Cluster) AuditWrites(t testing.TB, mark int64, namespaces ...string) []string {
	t.Helper()
	sentinel := c.Namespace(t, "audit-sentinel")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "sentinel"}}
	if _, err := c.Client.CoreV1().ConfigMaps(sentinel).Create(ctx, cm, metav1.CreateOptions{}); err != nil {
		t.Fatalf("writing the audit log sentinel: %v", err)
	}
	watched := map[string]bool{}
	for _, ns := range namespaces {
		watched[ns] = true
	}
	var writes []string
	Eventually(t, 30*time.Second, "the sentinel write in "+sentinel+" in the audit log "+c.AuditLogPath(), func() (bool, string) {
		var seen bool
		var err error
		writes, seen, err = readAuditWrites(c.AuditLogPath(), mark, sentinel, watched)
		if err != nil {
			return false, err.Error()
		}
		return seen, "not logged yet"
	})
	return writes
}
