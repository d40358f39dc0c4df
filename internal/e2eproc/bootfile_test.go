package e2eproc

import (
	"reflect"
	"testing"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootfile"
)

// TestBootFileTextDecodes: what the tests boot is what they wrote, through
// the plugin's own decoder (args verbatim, a shell line, env).
func TestBootFileTextDecodes(t *testing.T) {
	app := App("ru-01", "np02-srv-002", "0.0", "--x", "a b")
	app.Env = map[string]string{"B": "2", "A": "1 ; 2"}
	text := BootFileText("s1", ConnectionServer("np02-srv-001", 30123), RootController("np02-srv-001", "-n", "root-controller"), app)
	f, err := bootfile.Decode("test", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	procs := f.Doc.Spec.Processes
	if len(procs) != 3 || f.Doc.Metadata.Name != "s1" {
		t.Fatalf("decoded %d processes of %q:\n%s", len(procs), f.Doc.Metadata.Name, text)
	}
	lcs, root, ru := procs[0], procs[1], procs[2]
	if lcs.Name != "local-connection-server" || lcs.TreeID != "1" || lcs.Executables[0].Shell != "-b 0.0.0.0:30123 connection-service.connection-flask:app" {
		t.Errorf("connection server decoded as %+v", lcs)
	}
	if root.TreeID != "0" || !reflect.DeepEqual(root.Executables[0].Args, []string{"-n", "root-controller"}) {
		t.Errorf("root controller decoded as %+v", root)
	}
	if ru.Host != "np02-srv-002" || !reflect.DeepEqual(ru.Executables[0].Args, []string{"-n", "ru-01", "--x", "a b"}) ||
		!reflect.DeepEqual(ru.Env, app.Env) {
		t.Errorf("application decoded as %+v", ru)
	}
}
