package testcluster

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// ExitCodeAnnotation makes kwok terminate a Running pod's containers with the
// given exit code (stage drunc-container-exit in hack/cluster/kwok).
const ExitCodeAnnotation = "kwok.drunc.test/exit-code"

// ExitPod makes the pod's container exit with code, as if its process had
// exited, and waits (up to 30 s) until the pod reports it: phase Failed
// (Succeeded for 0) and the container terminated with that exit code. The
// pod must be on a kwok node; if it is not Running yet, it exits once it is.
func (c *Cluster) ExitPod(t testing.TB, namespace, name string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{
		"annotations": map[string]string{ExitCodeAnnotation: strconv.Itoa(code)},
	}})
	if _, err := c.Client.CoreV1().Pods(namespace).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatalf("annotating pod %s/%s to exit with %d: %v", namespace, name, code, err)
	}
	var last *corev1.Pod
	for {
		p, err := c.Client.CoreV1().Pods(namespace).Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			last = p
			if exitedWith(p, code) {
				return
			}
		}
		select {
		case <-ctx.Done():
			phase := "unknown"
			if last != nil {
				phase = string(last.Status.Phase)
			}
			t.Fatalf("pod %s/%s did not exit with code %d within 30s (phase %s; is kwok running with the drunc stages? see %s/logs/kwok.log)", namespace, name, code, phase, c.StateDir)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func exitedWith(p *corev1.Pod, code int) bool {
	want := corev1.PodFailed
	if code == 0 {
		want = corev1.PodSucceeded
	}
	if p.Status.Phase != want || len(p.Status.ContainerStatuses) == 0 {
		return false
	}
	for _, s := range p.Status.ContainerStatuses {
		if s.State.Terminated == nil || s.State.Terminated.ExitCode != int32(code) {
			return false
		}
	}
	return true
}
