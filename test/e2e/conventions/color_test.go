package conventions

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// TestColor: `logs --grep` highlights matches only when colour is on:
// --color=always/never decide, auto means a terminal without NO_COLOR. The
// terminal is a real pty, from script(1).
func TestColor(t *testing.T) {
	tc := testcluster.Get(t)
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script(1) is not installed (util-linux): cannot give the plugin a terminal")
	}
	host := testcluster.NodeNames("color-host", 1)
	tc.Nodes(t, host...)
	ns := tc.Namespace(t, "color")
	keys := session.Keys("")
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "ru-01", Labels: map[string]string{keys.Creator(): session.CreatorValue, session.AppLabel: "ru-01"}},
		Spec:       corev1.PodSpec{NodeName: host[0], Containers: []corev1.Container{{Name: "ru-01", Image: "busybox"}}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := tc.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tc.ServeLogs(t, ns, "ru-01", "ru-01").Append(t, "an ERROR here", "all fine")
	bin := testcluster.PluginBinary(t)
	args := []string{"--kubeconfig=" + tc.Kubeconfig, "logs", "-n", ns, "ru-01", "--grep", "ERROR"}

	// Served logs appear once kwok runs the pod: wait for the plain line.
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, _, code := plugin(t, nil, append(args, "--color=never")...)
		if code == 0 && strings.Contains(out, "an ERROR here") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("logs never showed the served line:\n%s", out)
		}
		time.Sleep(500 * time.Millisecond)
	}

	const esc = "\x1b["
	inTerminal := func(extraEnv []string, flags ...string) string {
		t.Helper()
		line := bin + " " + strings.Join(append(args, flags...), " ")
		cmd := exec.Command(script, "-qec", line, "/dev/null")
		cmd.Env = append(cleanEnv(), append([]string{"TERM=xterm"}, extraEnv...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s in a terminal: %v\n%s", line, err, out)
		}
		return string(out)
	}
	cases := []struct {
		name      string
		out       string
		wantColor bool
	}{
		{"pipe, auto", func() string { o, _, _ := plugin(t, nil, args...); return o }(), false},
		{"pipe, --color=always", func() string { o, _, _ := plugin(t, nil, append(args, "--color=always")...); return o }(), true},
		{"terminal, auto", inTerminal(nil), true},
		{"terminal, auto, NO_COLOR=1", inTerminal([]string{"NO_COLOR=1"}), false},
		{"terminal, --color=never", inTerminal(nil, "--color=never"), false},
		{"pipe, --color=always, NO_COLOR=1", func() string {
			o, _, _ := plugin(t, []string{"NO_COLOR=1"}, append(args, "--color=always")...)
			return o
		}(), true},
	}
	for _, c := range cases {
		if !strings.Contains(c.out, "ERROR") {
			t.Errorf("%s: no log line in output %q", c.name, c.out)
		}
		if got := strings.Contains(c.out, esc); got != c.wantColor {
			t.Errorf("%s: colour escapes present = %v, want %v; output %q", c.name, got, c.wantColor, c.out)
		}
	}
}
