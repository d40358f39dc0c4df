package oks

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
)

// exampleProcesses are the processes of Session "demo" in the project's
// OKS example, in boot order (readout-03 is disabled by the Session).
var exampleProcesses = []string{
	"local-connection-server", "root-controller", "readout-controller", "readout-01", "readout-02",
	"dataflow-controller", "dataflow-01",
}

// TestProjectExampleTier runs the OKS path on the project's own example,
// which needs no DUNE files: config sessions, config processes, a client
// dry run, boot and diff (with and without --session-id), ps, terminate. The boot-file example is booted on the same
// cluster first: the two examples' NodePorts differ, so both run side by
// side. A private cluster, because NodePorts are cluster-wide and these
// are fixed by the examples.
func TestProjectExampleTier(t *testing.T) {
	tc := testcluster.Private(t, "np02-srv-001", "np02-srv-002", "np02-srv-003")
	root, err := sharedoks.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DUNEDAQ_DB_PATH", "") // the example's schema is found next to it
	file := sharedoks.ProjectExample(t)
	run := func(args ...string) string {
		t.Helper()
		out, errOut, code := tc.Plugin(t, args...)
		if code != 0 {
			t.Fatalf("kubectl drunc %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
		return out
	}

	if out := run("config", "sessions", "--oks", file, "-o", "name"); strings.TrimSpace(out) != "demo" {
		t.Errorf("config sessions: %q, want demo", out)
	}
	for _, args := range [][]string{{"--session-id", "demo"}, nil} {
		names := strings.Fields(run(append([]string{"config", "processes", "--oks", file, "-o", "name"}, args...)...))
		if strings.Join(names, " ") != strings.Join(exampleProcesses, " ") {
			t.Errorf("config processes %v: %q\nwant %q", args, names, exampleProcesses)
		}
	}
	objs := decode(t, run("boot", "--oks", file, "--session-id", "demo", "--dry-run=client", "-o", "yaml"))
	if len(objs) != 1+2*len(exampleProcesses) {
		t.Errorf("dry run printed %d objects, want %d", len(objs), 1+2*len(exampleProcesses))
	}
	nodePorts := map[int32]string{}
	for _, o := range objs {
		if o.svc != nil {
			for _, p := range o.svc.Spec.Ports {
				if p.NodePort != 0 {
					nodePorts[p.NodePort] = o.svc.Name
				}
			}
		}
	}
	if len(nodePorts) != 2 || nodePorts[30600] == "" || nodePorts[30633] == "" {
		t.Errorf("NodePorts %v, want 30600 and 30633", nodePorts)
	}

	// kwok's fake nodes answer no probe: --no-probe, as on any cluster whose
	// node addresses are unreachable from the test.
	run("boot", "-f", filepath.Join(root, "examples", "boot", "demo-session.yaml"),
		"--pm-config", filepath.Join(root, "examples", "pm-config.json"), "--no-probe", "--timeout", "2m")
	// Without --session-id, boot and diff take the file's only Session; boot
	// records it by id, so booting again with --session-id demo is the same
	// source (another would be refused) and finds everything running.
	run("boot", "--oks", file, "--no-probe", "--timeout", "2m")
	run("diff", "-n", "demo", "--oks", file)
	if out := run("boot", "--oks", file, "--session-id", "demo", "--no-probe", "--timeout", "2m"); !strings.Contains(out, "7 already running") {
		t.Errorf("boot again with --session-id demo: %q, want every process already running", out)
	}

	got := strings.Fields(strings.ReplaceAll(run("ps", "-n", "demo", "-o", "name"), "pod/", ""))
	want := append([]string(nil), exampleProcesses...)
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ps -n demo: %q\nwant %q", got, want)
	}
	if out := run("ps", "-n", "demo-session", "--no-headers"); len(strings.Split(strings.TrimSpace(out), "\n")) != 5 {
		t.Errorf("ps -n demo-session: want the boot-file example's 5 processes, got\n%s", out)
	}
	run("terminate", "-n", "demo")
	run("terminate", "-n", "demo-session")
	if out := run("ps", "-A", "-o", "name"); strings.TrimSpace(out) != "" {
		t.Errorf("after terminate, ps -A prints %q", out)
	}
}
