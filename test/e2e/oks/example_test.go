package oks

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestBootProjectExample boots examples/oks/demo.data.xml for real on kwok
// nodes named after its hosts: every process Ready on its host, labelled
// with its tree id and role, the disabled application absent.
func TestBootProjectExample(t *testing.T) {
	dir := sharedoks.Dir(t)
	tc := testcluster.Get(t)
	root, err := sharedoks.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tc.Nodes(t, "np02-srv-001", "np02-srv-002") // the example's PhysicalHosts
	ns := tc.UniqueName("oks-demo")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := tc.Client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
		if err != nil && !apierrors.IsNotFound(err) {
			t.Errorf("deleting %s: %v", ns, err)
		}
	})
	// kwok nodes' addresses serve nothing: the reachability probes are off.
	_, errOut, code := tc.Plugin(t, "boot", "-n", ns, "--oks", filepath.Join(root, "examples", "oks", "demo.data.xml"),
		"--db-path", dir, "--session-id", "demo", "--no-probe", "--timeout", "2m")
	if code != 0 {
		t.Fatalf("boot exit %d:\n%s", code, errOut)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pods, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pods.Items {
		got = append(got, strings.Join([]string{p.Name, p.Labels["tree-id.drunc.daq"], p.Labels["role.drunc.daq"], p.Spec.NodeName, ready(&p)}, " "))
	}
	sort.Strings(got)
	want := []string{
		"local-connection-server 1 infrastructure-applications np02-srv-001 Ready",
		"readout-01 0.0.0 application np02-srv-002 Ready",
		"readout-controller 0.0 segment-controller np02-srv-002 Ready",
		"root-controller 0 root-controller np02-srv-001 Ready",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pods\n got %q\nwant %q", got, want)
	}
}

func ready(p *corev1.Pod) string {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return "Ready"
		}
	}
	return "NotReady"
}
