package rbac

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestInClusterServiceAccount is a CI job in a pod: no kubeconfig, only the
// service account's token, CA and the KUBERNETES_SERVICE_* variables, the
// account bound with `kubectl drunc rbac --serviceaccount NS:NAME`. The
// token and CA are mounted where every pod has them
// (/var/run/secrets/kubernetes.io/serviceaccount) in a private mount
// namespace, on a tmpfs over /run that only the plugin's process sees.
func TestInClusterServiceAccount(t *testing.T) {
	tc := testcluster.Get(t)
	unshare, err := exec.LookPath("unshare")
	if err != nil || os.Geteuid() != 0 {
		t.Skip("in-cluster test needs root and unshare(1) to mount the service-account files privately")
	}
	ns := druncSession(t, tc, "ru-01")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "ci-runner"}}
	if _, err := tc.Client.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	apply(t, tc, "--serviceaccount", ns+":ci-runner")
	waitSubjectAllowed(t, tc, "system:serviceaccount:"+ns+":ci-runner", ns)

	expiry := int64(600)
	tok, err := tc.Client.CoreV1().ServiceAccounts(ns).CreateToken(ctx, "ci-runner",
		&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{ExpirationSeconds: &expiry}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	ca := tc.Config.CAData
	if len(ca) == 0 {
		if ca, err = os.ReadFile(tc.Config.CAFile); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range map[string][]byte{"token": []byte(tok.Status.Token), "ca.crt": ca, "namespace": []byte(ns)} {
		if err := os.WriteFile(filepath.Join(files, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	host, err := url.Parse(tc.Config.Host)
	if err != nil {
		t.Fatal(err)
	}
	const mount = "/run/secrets/kubernetes.io/serviceaccount"
	script := `mount -t tmpfs tmpfs /run && mkdir -p ` + mount + ` && cp "$1"/* ` + mount + `/ && shift && exec "$@"`
	// No -n: the namespace comes from the mounted namespace file, as in a pod.
	cmd := exec.CommandContext(ctx, unshare, "--mount", "--propagation", "private", "sh", "-c", script, "sh", files,
		testcluster.PluginBinary(t), "ps")
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir(),
		"KUBERNETES_SERVICE_HOST=" + host.Hostname(), "KUBERNETES_SERVICE_PORT=" + host.Port()}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl drunc ps in-cluster as service account %s/ci-runner: %v\n%s", ns, err, out)
	}
	if !strings.Contains(string(out), "ru-01") {
		t.Errorf("ps in-cluster does not list ru-01 of the pod's namespace %s:\n%s", ns, out)
	}
}

func waitSubjectAllowed(t *testing.T, tc *testcluster.Cluster, user, ns string) {
	t.Helper()
	for i := 0; i < 40; i++ {
		r, err := tc.Client.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), &authorizationv1.SubjectAccessReview{
			Spec: authorizationv1.SubjectAccessReviewSpec{User: user,
				Groups:             []string{"system:serviceaccounts", "system:authenticated"},
				ResourceAttributes: &authorizationv1.ResourceAttributes{Verb: "watch", Resource: "pods", Namespace: ns}},
		}, metav1.CreateOptions{})
		if err == nil && r.Status.Allowed {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("%s is still not allowed to watch pods after the binding", user)
}
