package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// kwokLogs is kwok's Logs API (CRD installed by up.sh, kwok runs with
// --enable-crds=Logs): a Logs object named like a pod makes kwok serve a
// file, in the CRI log format, as that pod's `kubectl logs`.
var kwokLogs = schema.GroupVersionResource{Group: "kwok.x-k8s.io", Version: "v1alpha1", Resource: "logs"}

// PodLog is the log of a fake pod's container, served by kwok from a file.
type PodLog struct {
	Path string
	mu   sync.Mutex
}

// ServeLogs makes `kubectl logs` (and the plugin's logs) of the pod's
// container read from a file the test appends to with Append; follow mode
// streams new lines. The pod may be created before or after.
func (c *Cluster) ServeLogs(t testing.TB, namespace, pod, container string) *PodLog {
	t.Helper()
	path := filepath.Join(t.TempDir(), namespace+"_"+pod+"_"+container+".log")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "kwok.x-k8s.io/v1alpha1",
		"kind":       "Logs",
		"metadata":   map[string]any{"name": pod, "namespace": namespace},
		"spec": map[string]any{"logs": []any{map[string]any{
			"containers": []any{container}, "logsFile": path, "follow": true,
		}}},
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Dynamic.Resource(kwokLogs).Namespace(namespace).Create(ctx, obj, metav1.CreateOptions{}); err != nil {
		t.Fatalf("creating kwok Logs for pod %s/%s: %v", namespace, pod, err)
	}
	return &PodLog{Path: path}
}

// Append writes lines to the log, stamped now, as the container's stdout.
func (l *PodLog) Append(t testing.TB, lines ...string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, line := range lines {
		fmt.Fprintf(&b, "%s stdout F %s\n", time.Now().UTC().Format(time.RFC3339Nano), line)
	}
	f, err := os.OpenFile(l.Path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(b.String()); err != nil {
		t.Fatal(err)
	}
}
