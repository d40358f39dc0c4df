package conventions

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestMultiFileKubeconfig splits the admin kubeconfig over two files (the
// cluster and current context in one, the user and contexts in the other),
// as KUBECONFIG=a:b merges them in kubectl.
func TestMultiFileKubeconfig(t *testing.T) {
	tc := testcluster.Get(t)
	full, err := clientcmd.LoadFromFile(tc.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	ctxName := full.CurrentContext
	a, b := clientcmdapi.NewConfig(), clientcmdapi.NewConfig()
	a.Clusters = full.Clusters
	a.CurrentContext = ctxName
	a.Contexts["only-in-first-file"] = &clientcmdapi.Context{Cluster: full.Contexts[ctxName].Cluster, AuthInfo: "nobody"}
	b.AuthInfos = full.AuthInfos
	b.Contexts[ctxName] = full.Contexts[ctxName]
	dir := t.TempDir()
	fa, fb := filepath.Join(dir, "clusters"), filepath.Join(dir, "users")
	for f, c := range map[string]*clientcmdapi.Config{fa: a, fb: b} {
		if err := clientcmd.WriteToFile(*c, f); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"KUBECONFIG=" + fa + string(os.PathListSeparator) + fb}

	out, stderr, code := plugin(t, env, "version", "--server")
	if code != 0 || !strings.Contains(out, "Server Version: v1.") {
		t.Fatalf("version --server with KUBECONFIG=a:b: exit %d\n%s%s", code, out, stderr)
	}
	out, _, _ = plugin(t, env, "__complete", "version", "--context", "")
	if got := lines(out); !slices.Contains(got, ctxName) || !slices.Contains(got, "only-in-first-file") {
		t.Errorf("--context <TAB> = %v: want the contexts of both files (%s, only-in-first-file)", got, ctxName)
	}
}

// TestUserAgent puts a recording proxy (127.0.0.1) between the plugin and the
// real apiserver: every request the plugin makes, for a one-shot call and for
// the informer behind ps, carries User-Agent kubectl-drunc/<version>.
func TestUserAgent(t *testing.T) {
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "useragent")

	var mu sync.Mutex
	agents := map[string]int{}
	target, err := url.Parse(tc.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	transport, err := rest.TransportFor(tc.Config) // the admin's credentials
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = transport
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()]++
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()

	kc := clientcmdapi.NewConfig()
	kc.Clusters["proxy"] = &clientcmdapi.Cluster{Server: srv.URL}
	kc.AuthInfos["proxy"] = &clientcmdapi.AuthInfo{}
	kc.Contexts["proxy"] = &clientcmdapi.Context{Cluster: "proxy", AuthInfo: "proxy"}
	kc.CurrentContext = "proxy"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatal(err)
	}

	out, _, code := plugin(t, nil, "version", "-o", "json")
	var info struct {
		ClientVersion struct{ Version string } `json:"clientVersion"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || info.ClientVersion.Version == "" {
		t.Fatalf("version -o json: exit %d, %q", code, out)
	}
	want := "kubectl-drunc/" + info.ClientVersion.Version

	for _, args := range [][]string{{"version", "--server"}, {"ps", "-n", ns}} {
		out, stderr, code := plugin(t, nil, append([]string{"--kubeconfig=" + path}, args...)...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s through the proxy: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if agents[want] < 2 || len(agents) != 1 {
		t.Errorf("User-Agents seen by the apiserver proxy: %v; want only %q", agents, want)
	}
}

// TestRequestTimeoutFlag: --request-timeout takes seconds or a duration;
// anything else, a negative duration too, is an error about the flag (not
// a hint about the kubeconfig) before any request.
func TestRequestTimeoutFlag(t *testing.T) {
	tc := testcluster.Get(t)
	env := []string{"KUBECONFIG=" + tc.Kubeconfig}
	if _, stderr, code := plugin(t, env, "ps", "-A", "--request-timeout", "30"); code != 0 {
		t.Errorf("--request-timeout 30: exit %d\n%s", code, stderr)
	}
	for _, bad := range []string{"abc", "-1s"} {
		_, stderr, code := plugin(t, env, "ps", "-A", "--request-timeout", bad)
		if code != 1 || !strings.Contains(stderr, `--request-timeout "`+bad+`" is not a duration`) || strings.Contains(stderr, "KUBECONFIG") {
			t.Errorf("--request-timeout %s: exit %d, stderr %q; want 1 and an error about the flag", bad, code, stderr)
		}
	}
}
