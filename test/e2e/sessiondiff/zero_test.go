// Package sessiondiff proves on the real control plane that a session
// created from a rendering compares equal to that rendering after the
// apiserver's defaulting, and that real changes are found.
package sessiondiff

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/dunesession"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/sessiondiff"
)

const processes = 24

// TestRenderedSessionDiffsToZero creates a DUNE-like session's pods and
// services as boot does (the connection server's address in every later
// pod, services owned by their pods), reads them back with every server
// default filled in, and diffs them with the configuration: no
// difference. Then one pod is recreated with another image and one
// deleted: exactly those are reported.
func TestRenderedSessionDiffsToZero(t *testing.T) {
	tc := testcluster.Get(t)
	t.Parallel()
	ns := tc.Namespace(t, "diff")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, st, err := dunesession.Session(ns, processes)
	if err != nil {
		t.Fatal(err)
	}
	s, booted := createSession(t, ctx, tc, s, st)

	desired, err := podspec.Render(s, st, podspec.Options{RunAsUser: ptr(1000), RunAsGroup: ptr(1000), UUID: sessiondiff.NoUUID})
	if err != nil {
		t.Fatal(err)
	}
	report := diff(t, ctx, tc, ns, desired)
	if report.Differs() || report.Unchanged != processes {
		t.Fatalf("a session made from the configuration differs from it: %+v", report)
	}

	// The same with a changed image on one process and another gone.
	changed, gone := booted.Processes[5], booted.Processes[6]
	for _, name := range []string{changed.Process.Name, gone.Process.Name} {
		zero := int64(0)
		if err := tc.Client.CoreV1().Pods(ns).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
			t.Fatal(err)
		}
	}
	waitGone(t, ctx, tc, ns, changed.Process.Name)
	pod := changed.Pod.DeepCopy()
	pod.Spec.Containers[0].Image = "ghcr.io/dune-daq/alma9:v5.1"
	made, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Its service went with the old pod (garbage collector): make it again.
	svc := changed.Service.DeepCopy()
	podspec.OwnService(svc, made)
	for i := 0; ; i++ {
		_, err := tc.Client.CoreV1().Services(ns).Create(ctx, svc, metav1.CreateOptions{})
		if err == nil {
			break
		}
		if !apierrors.IsAlreadyExists(err) || i == 300 {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitGone(t, ctx, tc, ns, gone.Process.Name)
	report = diff(t, ctx, tc, ns, desired)
	if len(report.Missing) != 1 || report.Missing[0].Name != gone.Process.Name || report.Missing[0].Reason != sessiondiff.NotCreated {
		t.Errorf("missing %+v", report.Missing)
	}
	if len(report.Changed) != 1 || len(report.Changed[0].Fields) != 1 || report.Changed[0].Fields[0].Field != "spec.containers["+changed.Process.Name+"].image" {
		t.Errorf("changed %+v", report.Changed)
	}
	if report.Unchanged != processes-2 || len(report.Extra) != 0 {
		t.Errorf("unchanged %d, extra %+v", report.Unchanged, report.Extra)
	}
}

func diff(t *testing.T, ctx context.Context, tc *testcluster.Cluster, ns string, desired *podspec.Objects) *sessiondiff.Report {
	t.Helper()
	pods, err := tc.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	svcs, err := tc.Client.CoreV1().Services(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in := sessiondiff.Input{Session: ns, Desired: desired.Processes, Keys: session.Keys("")}
	for i := range pods.Items {
		in.Pods = append(in.Pods, &pods.Items[i])
	}
	for i := range svcs.Items {
		in.Services = append(in.Services, &svcs.Items[i])
	}
	defaulted := false
	for _, p := range in.Pods {
		for _, v := range p.Spec.Volumes {
			defaulted = defaulted || strings.HasPrefix(v.Name, "kube-api-access-")
		}
	}
	if !defaulted || len(in.Services) == 0 || in.Services[0].Spec.ClusterIP == "" {
		t.Fatalf("the objects read back carry no server defaults: the test proves nothing")
	}
	return sessiondiff.Compute(in)
}

// createSession picks free NodePorts for the connection server and the
// root controller (the NodePort range is shared by every test), then
// creates every pod and its owned service as boot does.
func createSession(t *testing.T, ctx context.Context, tc *testcluster.Cluster, orig *session.Session, st *pmconfig.Settings) (*session.Session, *podspec.Objects) {
	t.Helper()
	for attempt := 0; ; attempt++ {
		ports := tc.NodePorts(t, 2)
		lcs, root := ports[0], ports[1]
		s := withPorts(orig, lcs, root)
		objs, err := podspec.Render(s, st, podspec.Options{RunAsUser: ptr(1000), RunAsGroup: ptr(1000), UUID: uuid.NewString})
		if err != nil {
			t.Fatal(err)
		}
		err = create(ctx, tc, objs)
		if err == nil {
			return s, objs
		}
		if !strings.Contains(err.Error(), "already allocated") || attempt == 10 {
			t.Fatal(err)
		}
		for _, r := range objs.Processes[:2] {
			_ = tc.Client.CoreV1().Pods(s.Name).Delete(ctx, r.Process.Name, metav1.DeleteOptions{})
			waitGone(t, ctx, tc, s.Name, r.Process.Name)
		}
	}
}

// withPorts is a copy of orig with the example's NodePorts (30500, 30333)
// moved to lcs and root.
func withPorts(orig *session.Session, lcs, root int) *session.Session {
	var s session.Session
	b, _ := json.Marshal(orig)
	_ = json.Unmarshal(b, &s)
	for i := range s.Processes {
		p := &s.Processes[i]
		for j := range p.Executables {
			e := &p.Executables[j]
			e.Shell = movePorts(e.Shell, lcs, root)
			for k := range e.Args {
				e.Args[k] = movePorts(e.Args[k], lcs, root)
			}
		}
	}
	return &s
}

func movePorts(s string, lcs, root int) string {
	s = strings.ReplaceAll(s, "30500", fmt.Sprint(lcs))
	return strings.ReplaceAll(s, "30333", fmt.Sprint(root))
}

// create makes the objects as boot does, in order: the connection
// server's service address goes into every later pod.
func create(ctx context.Context, tc *testcluster.Cluster, objs *podspec.Objects) error {
	lcsIP := ""
	for _, r := range objs.Processes {
		pod := r.Pod.DeepCopy()
		podspec.SetLCSAddress(pod, lcsIP)
		made, err := tc.Client.CoreV1().Pods(pod.Namespace).Create(ctx, pod, metav1.CreateOptions{FieldManager: "kubectl-drunc"})
		if err != nil {
			return err
		}
		svc := r.Service.DeepCopy()
		podspec.OwnService(svc, made)
		madeSvc, err := tc.Client.CoreV1().Services(svc.Namespace).Create(ctx, svc, metav1.CreateOptions{FieldManager: "kubectl-drunc"})
		if err != nil {
			return err
		}
		if lcsIP == "" && r.Process.IsLCS() {
			lcsIP = madeSvc.Spec.ClusterIP
		}
	}
	return nil
}

func waitGone(t *testing.T, ctx context.Context, tc *testcluster.Cluster, ns, name string) {
	t.Helper()
	for i := 0; i < 300; i++ {
		_, err := tc.Client.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("pod %s/%s still there after 30 s", ns, name)
}

func ptr(v int64) *int64 { return &v }
