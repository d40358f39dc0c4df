package oks

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

// TestBootOKSClientDryRunNeedsNoCluster: `boot --oks --dry-run=client -o
// yaml` works with a kubeconfig that does not exist, and prints the
// namespace then a pod and a service per process, in boot order (the LCS
// and the root controller first).
func TestBootOKSClientDryRunNeedsNoCluster(t *testing.T) {
	dir := sharedoks.Dir(t)
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	var out, errOut bytes.Buffer
	code := plugin.Execute(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, []string{
		"boot", "--oks", sharedoks.ExampleConfigs, "--db-path", dir, "--session-id", "local-1x1-config",
		"--localhost", "np02-srv-001", "--dry-run=client", "-o", "yaml"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	objs := decode(t, out.String())
	if len(objs) != 1+2*14 || objs[0].ns == nil || objs[0].ns.Name != "local-1x1-config" {
		t.Fatalf("%d objects, first %+v", len(objs), objs[0])
	}
	var pods []string
	for _, o := range objs {
		if o.pod != nil {
			pods = append(pods, o.pod.Name+"="+o.pod.Labels["tree-id.drunc.daq"]+"/"+o.pod.Labels["role.drunc.daq"])
		}
	}
	if pods[0] != "local-connection-server=1/infrastructure-applications" || pods[1] != "root-controller=0/root-controller" {
		t.Errorf("boot order starts %v", pods[:2])
	}
	for _, disabled := range []string{"df-02", "df-03", "ru-02"} {
		if strings.Contains(strings.Join(pods, " "), disabled+"=") {
			t.Errorf("disabled %s rendered", disabled)
		}
	}
}
