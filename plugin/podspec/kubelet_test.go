package podspec

import (
	"os/exec"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// kubeletExpand is the kubelet's $(VAR) expansion of container command,
// args and env values (k8s.io/kubernetes third_party/forked/golang/
// expansion): $$ is a literal $, $(NAME) is NAME's value when NAME is
// defined and stays as written otherwise, anything else is literal.
func kubeletExpand(s string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			name := s[i+2 : i+2+end]
			if v, ok := vars[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// runAsKubelet runs a rendered container the way a kubelet and the image's
// bash would: env values expanded in order, then command and args expanded
// with the env, then executed with exactly that env.
func runAsKubelet(t *testing.T, c corev1.Container) string {
	t.Helper()
	vars := map[string]string{}
	env := []string{"PATH=/usr/bin:/bin"}
	for _, e := range c.Env {
		if e.ValueFrom != nil {
			continue
		}
		v := kubeletExpand(e.Value, vars)
		vars[e.Name] = v
		env = append(env, e.Name+"="+v)
	}
	argv := append(append([]string{}, c.Command...), c.Args...)
	for i := range argv {
		argv[i] = kubeletExpand(argv[i], vars)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("running %q: %v\n%s", argv, err, out)
	}
	return string(out)
}

// hostileValues contain what a shell or the kubelet would interpret:
// quotes, command substitution, backticks, separators, newlines, and the
// kubelet's own $(VAR) references and $$ escapes.
var hostileValues = []string{
	"it's", `"double"`, "$(touch /tmp/pwned-by-env)", "`touch /tmp/pwned-by-env-backtick`",
	"a;b", "a\nb", "$(USER)", "$(HOSTILE_0)", "$$", "$$(USER)", "${USER}", "$", "x$", "",
}

// TestRenderedPodKeepsArgumentsAndEnvVerbatim: argv-list arguments and env
// values reach the process exactly as written, through both the kubelet's
// $(VAR) expansion and bash -c.
func TestRenderedPodKeepsArgumentsAndEnvVerbatim(t *testing.T) {
	helper := argvHelper(t)
	env := map[string]string{}
	var printEnv []string
	for i, v := range hostileValues {
		name := "HOSTILE_" + string(rune('0'+i%10)) + string(rune('a'+i/10))
		if i == 0 {
			name = "HOSTILE_0"
		}
		env[name] = v
		printEnv = append(printEnv, name)
	}
	args := append(append([]string{}, hostileArgs...), hostileValues...)
	s := &session.Session{Name: "inj", User: "alice", Processes: []session.Process{{
		Name: "app", Host: "np02-srv-001", TreeID: "0.0", Env: env,
		Executables: []session.Executable{{Exec: helper, Args: args}},
	}}}
	objs, err := Render(s, pmconfig.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := objs.Processes[0].Pod.Spec.Containers[0]
	got := splitArgv(runAsKubelet(t, c))
	if strings.Join(got, "\x00") != strings.Join(args, "\x00") {
		t.Errorf("the program saw\n%q\nwant\n%q\nargs: %q", got, args, c.Args)
	}

	// Env: a helper that prints the variables' values as the process sees them.
	s.Processes[0].Executables = []session.Executable{{Exec: "printf", Args: []string{`%s\0`}, Shell: `"$` + strings.Join(printEnv, `" "$`) + `"`}}
	objs, err = Render(s, pmconfig.Default(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got = splitArgv(runAsKubelet(t, objs.Processes[0].Pod.Spec.Containers[0]))
	for i, name := range printEnv {
		if i >= len(got) || got[i] != env[name] {
			t.Errorf("env %s: the process saw %q, want %q", name, at(got, i), env[name])
		}
	}
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "<missing>"
}
