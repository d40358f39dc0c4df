package boot

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"

	"github.com/kubectl-drunc/kubectl-drunc/informers"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootexec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/podspec"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/baseline"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/proc"
)

// env is what every contender gets: the cluster, the hosts, and the client
// configuration (with the added round-trip delay, if any).
type env struct {
	tc    *testcluster.Cluster
	hosts []string
	cfg   *rest.Config
}

func (e env) render(b *testing.B, ns string) (*session.Session, *podspec.Objects) {
	s := dune(ns, e.hosts, *processes)
	objs, err := podspec.Render(s, pmconfig.Default(), podspec.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s, objs
}

// client returns a protobuf client (as the plugin uses) with the given
// client-side limit; qps < 0 means none.
func (e env) client(b *testing.B, qps float32, burst int) kubernetes.Interface {
	cfg := rest.CopyConfig(e.cfg)
	cfg.QPS, cfg.Burst = qps, burst
	c, err := informers.NewClient(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// bootEngine is `kubectl drunc boot`'s engine in-process, with the plugin's
// client settings (cli.Factory: QPS 500, Burst 1000): hosts check,
// namespace, gates, parallel creates, all Ready. maxInFlight 0 is the
// default (--max-in-flight).
func bootEngine(b *testing.B, e env, ns string, maxInFlight int) (time.Duration, *bootexec.Result) {
	_, objs := e.render(b, ns)
	client := e.client(b, 500, 1000)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	res, err := bootexec.Run(ctx, bootexec.Config{Client: client, Objects: objs, Settings: pmconfig.Default(), Wait: true, MaxInFlight: maxInFlight})
	d := time.Since(start)
	if err != nil {
		b.Fatalf("boot of %s: %v", ns, err)
	}
	return d, res
}

// bootBinary is `kubectl drunc boot -f FILE FLAGS` of the binary bin as a
// user runs it (fork to exit): process start, reading and rendering the boot
// file included. flags are those both binaries understand (--no-probe).
func bootBinary(bin string, flags []string) func(*testing.B, env, string) time.Duration {
	return func(b *testing.B, e env, ns string) time.Duration {
		s, _ := e.render(b, ns)
		file := filepath.Join(b.TempDir(), ns+".yaml")
		doc := map[string]any{"apiVersion": "drunc.daq/v1alpha1", "kind": "BootFile",
			"metadata": map[string]any{"name": ns}, "spec": map[string]any{"user": s.User, "processes": s.Processes}}
		out, err := yaml.Marshal(doc)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(file, out, 0o644); err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), testcluster.PluginTimeout)
		defer cancel()
		args := append([]string{"--kubeconfig=" + e.tc.Kubeconfig, "boot", "-f", file}, flags...)
		u, err := proc.Run(ctx, proc.Cmd{Bin: bin, Args: args, Env: baseline.Env(e.tc)})
		if err != nil {
			b.Fatalf("%s boot of %s: %v\n%s", bin, ns, err, proc.LastLines(u.Stderr, 30))
		}
		return u.Wall
	}
}

// bare is (a), the physical limit: the same rendered pods (no services),
// all at once (one goroutine each, no client-side limit), until all Running.
func bare(b *testing.B, e env, ns string) time.Duration {
	return allAtOnce(b, e, ns, false)
}

// bareWithServices is (a) plus each pod's service, created as soon as its
// pod exists, until all Ready: the limit for drunc's shape of a session.
func bareWithServices(b *testing.B, e env, ns string) time.Duration {
	return allAtOnce(b, e, ns, true)
}

// allAtOnce creates every rendered pod at once (one goroutine each, no
// client-side limit), with its service right after it when services is
// set, and waits until all run (pods only) or are Ready (with services).
func allAtOnce(b *testing.B, e env, ns string, services bool) time.Duration {
	_, objs := e.render(b, ns)
	createNamespace(b, e, ns)
	client := e.client(b, -1, 0)
	w := watchPods(b, e.tc, ns)
	defer w.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(objs.Processes))
	for i := range objs.Processes {
		wg.Go(func() {
			r := objs.Processes[i]
			pod, err := client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{})
			if err != nil {
				errs <- err
				return
			}
			if !services {
				return
			}
			podspec.OwnService(r.Service, pod)
			if _, err := client.CoreV1().Services(ns).Create(ctx, r.Service, metav1.CreateOptions{}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatalf("creating the session all at once: %v", err)
	}
	done := func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning }
	if services {
		done = isReady
	}
	w.waitAll(b, ctx, len(objs.Processes), done)
	return time.Since(start)
}

// oneByOne is (c), drunc's model: in boot order, one pod then its service
// at a time, waiting for the connection server and the root controller to
// be Ready as drunc does, then until all are Ready.
func oneByOne(b *testing.B, e env, ns string) time.Duration {
	_, objs := e.render(b, ns)
	createNamespace(b, e, ns)
	client := e.client(b, -1, 0)
	w := watchPods(b, e.tc, ns)
	defer w.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	ready := func(p *corev1.Pod) bool { return isReady(p) }
	start := time.Now()
	lcsIP := ""
	for _, r := range objs.Processes {
		podspec.SetLCSAddress(r.Pod, lcsIP)
		pod, err := client.CoreV1().Pods(ns).Create(ctx, r.Pod, metav1.CreateOptions{})
		if err != nil {
			b.Fatalf("(c) creating pod %s: %v", r.Pod.Name, err)
		}
		podspec.OwnService(r.Service, pod)
		svc, err := client.CoreV1().Services(ns).Create(ctx, r.Service, metav1.CreateOptions{})
		if err != nil {
			b.Fatalf("(c) creating service %s: %v", r.Service.Name, err)
		}
		switch {
		case r.Process.IsLCS():
			lcsIP = svc.Spec.ClusterIP
			w.waitFor(b, ctx, r.Pod.Name, ready)
		case r.Role == session.RoleRootController:
			w.waitFor(b, ctx, r.Pod.Name, ready)
		}
	}
	w.waitAll(b, ctx, len(objs.Processes), ready)
	return time.Since(start)
}

// kubectlApply is (b): `kubectl apply -f` of the same rendered manifests
// (namespace, pods, services), then `kubectl wait --for=condition=Ready`.
func kubectlApply(b *testing.B, e env, ns string) time.Duration {
	_, objs := e.render(b, ns)
	var docs []byte
	add := func(obj any) {
		out, err := yaml.Marshal(obj)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(append(docs, "---\n"...), out...)
	}
	add(objs.Namespace)
	for _, r := range objs.Processes {
		add(r.Pod)
		svc := r.Service.DeepCopy()
		svc.OwnerReferences = nil // the pod's UID is not known before it exists
		add(svc)
	}
	file := filepath.Join(b.TempDir(), ns+".yaml")
	if err := os.WriteFile(file, docs, 0o644); err != nil {
		b.Fatal(err)
	}
	kubectl := kubectlBinary(b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	run := func(args ...string) {
		cmd := exec.CommandContext(ctx, kubectl, append([]string{"--kubeconfig", e.tc.Kubeconfig}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("kubectl %v: %v\n%s", args, err, tail(out))
		}
	}
	start := time.Now()
	run("apply", "-f", file)
	run("wait", "--for=condition=Ready", "pod", "--all", "-n", ns, "--timeout=15m")
	return time.Since(start)
}

// kubectlBinary is the control plane's kubectl (first on PATH under make
// bench), else /usr/bin/kubectl.
func kubectlBinary(b *testing.B) string {
	if p, err := exec.LookPath("kubectl"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/kubectl"); err == nil {
		return "/usr/bin/kubectl"
	}
	b.Skip("no kubectl on PATH (make bench puts the control plane's first)")
	return ""
}

func tail(b []byte) []byte {
	if len(b) > 2000 {
		return b[len(b)-2000:]
	}
	return b
}

func createNamespace(b *testing.B, e env, ns string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := e.tc.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	e.tc.WaitServiceAccount(b, ns)
}

// delayed adds d before every request: a network round trip, which
// loopback does not have.
func delayed(cfg *rest.Config, d time.Duration) *rest.Config {
	c := rest.CopyConfig(cfg)
	c.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			time.Sleep(d)
			return rt.RoundTrip(r)
		})
	})
	return c
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
