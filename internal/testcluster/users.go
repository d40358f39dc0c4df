package testcluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Test users of the static token file (hack/cluster/up.sh). They belong to
// no group beyond system:authenticated, so they can do nothing until a test
// grants them RBAC rights; UserNobody is never granted anything.
const (
	UserTester   = "drunc-tester"
	UserOperator = "drunc-operator"
	UserNobody   = "drunc-nobody"
)

// UserToken returns the bearer token of a test user.
func (c *Cluster) UserToken(t testing.TB, user string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.StateDir, "users", user+".token"))
	if err != nil {
		t.Fatalf("no token for test user %q in %s/users (known: %s, %s, %s): %v", user, c.StateDir, UserTester, UserOperator, UserNobody, err)
	}
	return strings.TrimSpace(string(b))
}

// UserConfig returns a client configuration authenticating as the test user.
func (c *Cluster) UserConfig(t testing.TB, user string) *rest.Config {
	t.Helper()
	cfg := rest.AnonymousClientConfig(c.Config)
	cfg.BearerToken = c.UserToken(t, user)
	return cfg
}

// UserClient returns a typed client authenticating as the test user.
func (c *Cluster) UserClient(t testing.TB, user string) kubernetes.Interface {
	t.Helper()
	client, err := kubernetes.NewForConfig(c.UserConfig(t, user))
	if err != nil {
		t.Fatalf("client for test user %s: %v", user, err)
	}
	return client
}

// UserKubeconfig writes a kubeconfig authenticating as the test user (in a
// directory removed with the test) and returns its path, for
// PluginCommandAs or `--kubeconfig`.
func (c *Cluster) UserKubeconfig(t testing.TB, user string) string {
	t.Helper()
	kc := clientcmdapi.NewConfig()
	kc.Clusters["local"] = &clientcmdapi.Cluster{Server: c.Config.Host, CertificateAuthorityData: c.caData(t)}
	kc.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: c.UserToken(t, user)}
	kc.Contexts["local"] = &clientcmdapi.Context{Cluster: "local", AuthInfo: user, Namespace: "default"}
	kc.CurrentContext = "local"
	path := filepath.Join(t.TempDir(), user+".kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatalf("writing kubeconfig for %s: %v", user, err)
	}
	return path
}

func (c *Cluster) caData(t testing.TB) []byte {
	t.Helper()
	if len(c.Config.CAData) > 0 {
		return c.Config.CAData
	}
	b, err := os.ReadFile(c.Config.CAFile)
	if err != nil {
		t.Fatalf("reading the cluster CA: %v", err)
	}
	return b
}

// PluginAs runs the plugin with a test user's kubeconfig (see Plugin).
func (c *Cluster) PluginAs(t testing.TB, user string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	u := &Cluster{Client: c.Client, Dynamic: c.Dynamic, Config: c.Config, Kubeconfig: c.UserKubeconfig(t, user), StateDir: c.StateDir}
	return u.Plugin(t, args...)
}
