// Package testcluster connects integration tests to the project's local
// control plane (hack/cluster: etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok as the kubelet of fake nodes).
//
// `make test` starts that cluster when needed and exports
// DRUNC_TEST_KUBECONFIG; without it, Get skips the test with a message, so a
// bare `go test ./...` still runs every unit test. Each test isolates itself
// with its own namespace (Namespace) and nodes (Nodes), so tests can run in
// parallel. Pod IPs on kwok nodes are fake: never dial them.
package testcluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// KubeconfigEnv names the variable holding the test cluster's admin kubeconfig.
const KubeconfigEnv = "DRUNC_TEST_KUBECONFIG"

// Cluster is a reachable test control plane, with admin credentials.
type Cluster struct {
	// Client and Dynamic are admin clients with a client-side rate limit high
	// enough never to be what a test measures.
	Client  *kubernetes.Clientset
	Dynamic dynamic.Interface
	Config  *rest.Config
	// Kubeconfig is the path of the admin kubeconfig (what the plugin gets).
	Kubeconfig string
	// StateDir is the cluster's state directory (hack/cluster/lib.sh): logs,
	// audit log, tokens of the test users, ports.
	StateDir string

	private bool // started by Private for one test: may be disrupted
}

var shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
}

// Get returns the shared test cluster. It skips the test when
// DRUNC_TEST_KUBECONFIG is unset (or with -short), and fails it when the
// variable is set but the cluster does not answer: a configured cluster that
// is down is an error, not a reason to skip.
func Get(t testing.TB) *Cluster {
	t.Helper()
	path := os.Getenv(KubeconfigEnv)
	if path == "" {
		t.Skipf("integration test skipped: %s is not set (run `make test`, or `make cluster-up` and export %s=<CLUSTER_DIR>/kubeconfig)", KubeconfigEnv, KubeconfigEnv)
	}
	if testing.Short() {
		t.Skip("integration test skipped in -short mode")
	}
	shared.once.Do(func() { shared.cluster, shared.err = connect(path) })
	if shared.err != nil {
		t.Fatalf("test cluster from %s=%s: %v (start it with `make cluster-up`)", KubeconfigEnv, path, shared.err)
	}
	return shared.cluster
}

// connect loads the kubeconfig and waits (briefly) for /readyz.
func connect(path string) (*Cluster, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", abs)
	if err != nil {
		return nil, fmt.Errorf("loading kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = 1000, 2000
	cfg.UserAgent = "kubectl-drunc-e2e"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	if err := waitReady(client, 15*time.Second); err != nil {
		return nil, err
	}
	return &Cluster{Client: client, Dynamic: dyn, Config: cfg, Kubeconfig: abs, StateDir: filepath.Dir(abs)}, nil
}

func waitReady(client *kubernetes.Clientset, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("apiserver not ready after %s: %v %s", within, err, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
