// Package oks checks OKS-derived sessions against the real control plane.
package oks

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/okssession"
)

// TestEverySessionServerDryRun: for each Session of DUNE's
// example-configs.data.xml, `kubectl drunc boot --oks ... --dry-run=client
// -o yaml` (the built binary, no cluster contacted) prints objects that the
// real apiserver accepts with a server-side dry run (dryRun=All: admission
// and validation run, nothing is stored).
func TestEverySessionServerDryRun(t *testing.T) {
	dir := sharedoks.Dir(t)
	tc := testcluster.Get(t)
	db, err := okssession.Read(okssession.Options{File: sharedoks.ExampleConfigs, DBPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	ids := db.IDsOf("Session")
	if len(ids) != 4 {
		t.Fatalf("sessions %v", ids)
	}
	for _, id := range ids {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			ns := tc.Namespace(t, "oks")
			out, errOut, code := tc.Plugin(t, "boot", "--oks", sharedoks.ExampleConfigs, "--db-path", dir,
				"--session-id", id, "-n", ns, "--localhost", "np02-srv-001", "--log-dir", "/var/log/daq",
				"--dry-run=client", "-o", "yaml")
			if code != 0 {
				t.Fatalf("boot --dry-run=client exit %d: %s", code, errOut)
			}
			objs := decode(t, out)
			pods, services := serverDryRun(t, tc, ns, objs)
			want := map[string]int{"local-1x1-config": 14, "local-2x3-config": 17, "ehn1-local-1x1-config": 13, "ehn1-local-2x3-config": 16}[id]
			if pods != want || services != want {
				t.Errorf("accepted %d pods and %d services, want %d of each", pods, services, want)
			}
		})
	}
}

type object struct {
	ns  *corev1.Namespace
	pod *corev1.Pod
	svc *corev1.Service
}

// decode splits the multi-document YAML into typed objects.
func decode(t *testing.T, out string) []object {
	t.Helper()
	var objs []object
	for _, doc := range strings.Split(out, "\n---\n") {
		var meta metav1.TypeMeta
		if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
			t.Fatalf("output is not YAML: %v\n%s", err, doc)
		}
		var o object
		var target any
		switch meta.Kind {
		case "Namespace":
			o.ns = &corev1.Namespace{}
			target = o.ns
		case "Pod":
			o.pod = &corev1.Pod{}
			target = o.pod
		case "Service":
			o.svc = &corev1.Service{}
			target = o.svc
		default:
			t.Fatalf("unexpected kind %q in:\n%s", meta.Kind, doc)
		}
		if err := yaml.UnmarshalStrict([]byte(doc), target); err != nil {
			t.Fatalf("%s: %v", meta.Kind, err)
		}
		objs = append(objs, o)
	}
	return objs
}

// serverDryRun creates every object with dryRun=All. The namespace exists
// already (the test made it), so its object is checked under a fresh name.
// A service's owner reference gets the uid the apiserver gave its pod.
//
// A server-side dry run does not consult the NodePort allocator: a
// nodePort outside the apiserver's --service-node-port-range passes here
// but fails a real create (DUNE's connection server binds port 5000, and
// the renderer uses it as nodePort, as drunc does). Such ports are logged.
func serverDryRun(t *testing.T, tc *testcluster.Cluster, ns string, objs []object) (pods, services int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dry := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}}
	uids := map[string]types.UID{}
	for _, o := range objs {
		switch {
		case o.ns != nil:
			if o.ns.Name != ns {
				t.Errorf("namespace %q, want the session name %q", o.ns.Name, ns)
			}
			o.ns.Name = tc.UniqueName("oks-ns")
			if _, err := tc.Client.CoreV1().Namespaces().Create(ctx, o.ns, dry); err != nil {
				t.Errorf("namespace rejected: %v", err)
			}
		case o.pod != nil:
			got, err := tc.Client.CoreV1().Pods(ns).Create(ctx, o.pod, dry)
			if err != nil {
				t.Errorf("pod %s rejected: %v", o.pod.Name, err)
				continue
			}
			uids[got.Name] = got.UID
			pods++
		case o.svc != nil:
			for i := range o.svc.OwnerReferences {
				ref := &o.svc.OwnerReferences[i]
				if ref.UID == "" {
					ref.UID = uids[ref.Name]
				}
				if ref.UID == "" {
					ref.UID = types.UID("00000000-0000-0000-0000-000000000001")
				}
			}
			for _, p := range o.svc.Spec.Ports {
				if p.NodePort != 0 && (p.NodePort < 30000 || p.NodePort > 32767) {
					t.Logf("service %s: nodePort %d is outside Kubernetes' default NodePort range: a real boot needs a cluster whose --service-node-port-range includes it", o.svc.Name, p.NodePort)
				}
			}
			if _, err := tc.Client.CoreV1().Services(ns).Create(ctx, o.svc, dry); err != nil {
				t.Errorf("service %s rejected: %v", o.svc.Name, err)
				continue
			}
			services++
		}
	}
	return pods, services
}
