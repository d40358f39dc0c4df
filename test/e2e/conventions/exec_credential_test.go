package conventions

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// TestExecCredentialPlugin: a kubeconfig user with an exec credential plugin
// (as cloud and OIDC logins use) authenticates the plugin. The exec plugin
// hands out drunc-nobody's token, so the apiserver's refusal names that user:
// proof the credential came from the exec plugin.
func TestExecCredentialPlugin(t *testing.T) {
	tc := testcluster.Get(t)
	ns := tc.Namespace(t, "execcred")
	dir := t.TempDir()
	marker := filepath.Join(dir, "called")
	script := filepath.Join(dir, "credential-helper")
	body := fmt.Sprintf(`#!/bin/sh
touch %q
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%%s"}}' %q
`, marker, tc.UserToken(t, testcluster.UserNobody))
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	admin, err := clientcmd.LoadFromFile(tc.Kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters = admin.Clusters
	var cluster string
	for name := range admin.Clusters {
		cluster = name
	}
	kc.AuthInfos["exec"] = &clientcmdapi.AuthInfo{Exec: &clientcmdapi.ExecConfig{
		APIVersion: "client.authentication.k8s.io/v1", Command: script, InteractiveMode: clientcmdapi.NeverExecInteractiveMode,
	}}
	kc.Contexts["exec"] = &clientcmdapi.Context{Cluster: cluster, AuthInfo: "exec"}
	kc.CurrentContext = "exec"
	path := filepath.Join(dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatal(err)
	}

	_, stderr, code := plugin(t, nil, "--kubeconfig="+path, "ps", "-n", ns)
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the exec credential plugin was not run: %v\n%s", err, stderr)
	}
	if code == 0 || !strings.Contains(stderr, "you ("+testcluster.UserNobody+") are not allowed to list pods") {
		t.Errorf("ps with the exec credential: exit %d, want the refusal for %s:\n%s", code, testcluster.UserNobody, stderr)
	}
}
