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

// TestProjectExampleClientDryRun: the project's OKS example renders with no
// cluster and no DUNE files (every `make test`, even without a cluster):
// the namespace, then a pod and a service per process, in boot order.
func TestProjectExampleClientDryRun(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	t.Setenv("DUNEDAQ_DB_PATH", "")
	var out, errOut bytes.Buffer
	code := plugin.Execute(genericiooptions.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, []string{
		"boot", "--oks", sharedoks.ProjectExample(t), "--session-id", "demo", "--dry-run=client", "-o", "yaml"})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	objs := decode(t, out.String())
	if objs[0].ns == nil || objs[0].ns.Name != "demo" {
		t.Fatalf("first object %+v, want namespace demo", objs[0])
	}
	var pods []string
	for _, o := range objs {
		if o.pod != nil {
			pods = append(pods, o.pod.Name)
		}
	}
	if strings.Join(pods, " ") != strings.Join(exampleProcesses, " ") {
		t.Errorf("pods %q\nwant %q (boot order)", pods, exampleProcesses)
	}
}
