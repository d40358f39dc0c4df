package scale

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/dune"
)

// bootFile writes the generated session as a boot file.
func bootFile(b *testing.B, ns string, hosts []string) string {
	s := dune.Session(ns, hosts, *processes)
	doc := map[string]any{"apiVersion": "drunc.daq/v1alpha1", "kind": "BootFile",
		"metadata": map[string]any{"name": ns}, "spec": map[string]any{"user": s.User, "processes": s.Processes}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), ns+".yaml")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		b.Fatal(err)
	}
	return file
}

// unlimited is a protobuf client (as the plugin uses) without a
// client-side rate limit.
func unlimited(b *testing.B, tc *testcluster.Cluster) kubernetes.Interface {
	cfg := rest.CopyConfig(tc.Config)
	cfg.QPS, cfg.Burst = -1, 0
	c, err := informers.NewClient(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// bareBoot is (a+svc): the same rendered pods and their services, created
// by bare client-go with no client-side limit (as many at once as the
// server takes, each pod's service as soon as the pod exists) in a namespace made beforehand, until
// the referee sees every pod Ready. It returns that time and the pod names.
func bareBoot(b *testing.B, tc *testcluster.Cluster, ns string, hosts []string, o *observer) (time.Duration, []string) {
	objs, err := podspec.Render(dune.Session(ns, hosts, *processes), pmconfig.Default(), podspec.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	if _, err := tc.Client.CoreV1().Namespaces().Create(ctx, objs.Namespace, metav1.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { deleteIfLeft(tc, ns) })
	tc.WaitServiceAccount(b, ns)
	client := unlimited(b, tc)
	names := make([]string, len(objs.Processes))
	errs := make([]error, len(objs.Processes))
	start := time.Now()
	var retries atomic.Int64
	parallelDo(len(objs.Processes), func(i int) {
		r := objs.Processes[i]
		names[i] = r.Pod.Name
		var pod *corev1.Pod
		n, err := retry(ctx, func() (err error) {
			pod, err = client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{})
			if apierrors.IsAlreadyExists(err) { // an earlier try that timed out did create it
				pod, err = client.CoreV1().Pods(ns).Get(ctx, r.Pod.Name, metav1.GetOptions{})
			}
			return err
		})
		retries.Add(int64(n))
		if err != nil {
			errs[i] = err
			return
		}
		podspec.OwnService(r.Service, pod)
		n, errs[i] = retry(ctx, func() error {
			_, err := client.CoreV1().Services(ns).Create(ctx, r.Service, metav1.CreateOptions{})
			if apierrors.IsAlreadyExists(err) {
				return nil
			}
			return err
		})
		retries.Add(int64(n))
	})
	for _, err := range errs {
		if err != nil {
			b.Fatalf("(a+svc) creating session %s: %v", ns, err)
		}
	}
	progress("(a+svc): %d pods and services created after %s (%d requests retried after the server pushed back)",
		len(names), time.Since(start).Round(time.Millisecond), retries.Load())
	if !o.until(ctx, func() bool { return len(o.ready) >= len(names) }) {
		b.Fatalf("(a+svc): %d of %d pods Ready after %s", len(o.ready), len(names), *phaseTimeout)
	}
	return lastOf(o.ready, names).Sub(start), names
}

// deletion is how a session went: from the first delete sent until every
// process was seen gone, and until the namespace was.
type deletion struct {
	Wall, ProcessesGone, NamespaceGone time.Duration
}

// floorDelete is the floor of terminate: bare client-go deletes every pod
// at once (no client-side limit, as many as the server takes, no order; their services are
// owned by them), then the namespace, and waits until the namespace is
// gone.
func floorDelete(b *testing.B, tc *testcluster.Cluster, ns string, names []string, o *observer) deletion {
	ctx, cancel := context.WithTimeout(context.Background(), *phaseTimeout)
	defer cancel()
	client := unlimited(b, tc)
	start := time.Now()
	errs := make([]error, len(names))
	parallelDo(len(names), func(i int) {
		_, errs[i] = retry(ctx, func() error {
			err := client.CoreV1().Pods(ns).Delete(ctx, names[i], metav1.DeleteOptions{})
			if apierrors.IsNotFound(err) {
				return nil
			}
			return err
		})
	})
	for _, err := range errs {
		if err != nil {
			b.Fatalf("floor: deleting a pod of %s: %v", ns, err)
		}
	}
	if err := client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil {
		b.Fatalf("floor: deleting namespace %s: %v", ns, err)
	}
	if !o.until(ctx, func() bool { return !o.nsGone.IsZero() && len(o.gone) >= len(names) }) {
		b.Fatalf("floor: namespace %s not gone after %s (%d of %d pods gone)", ns, *phaseTimeout, len(o.gone), len(names))
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return deletion{Wall: o.nsGone.Sub(start), ProcessesGone: lastOf(o.gone, names).Sub(start), NamespaceGone: o.nsGone.Sub(start)}
}

// podNames lists the session's pods (for the terminate's stage map).
func podNames(b *testing.B, tc *testcluster.Cluster, ns string) []*corev1.Pod {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	l, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{ResourceVersion: "0"})
	if err != nil {
		b.Fatal(err)
	}
	out := make([]*corev1.Pod, len(l.Items))
	for i := range l.Items {
		out[i] = &l.Items[i]
	}
	return out
}

// deleteIfLeft deletes a session a failed run left behind: thousands of pods
// would load the next run.
func deleteIfLeft(tc *testcluster.Cluster, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = tc.Client.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
}
