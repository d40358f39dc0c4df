package events_test

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"

	vt "github.com/kubectl-drunc/kubectl-drunc/plugin/verbs/internal/verbtest"
)

// warning is a Kubernetes Warning event of the pod demo/name.
func warning(name, reason string) *corev1.Event {
	return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name + "." + reason, Namespace: "demo"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Namespace: "demo", Name: name, UID: types.UID("demo-" + name)},
		Type:           corev1.EventTypeWarning, Reason: reason, Message: reason + " of " + name,
		LastTimestamp: metav1.Now(), Count: 1}
}

func demo() *fake.Clientset {
	return vt.Clientset(vt.Namespace("demo"), vt.Namespace("empty"), vt.Namespace("default"),
		vt.Proc("demo", "ru-01", "0.0", "u1"), vt.Proc("demo", "df-01", "0.1", "u2", vt.Exited(3)),
		warning("ru-01", "Unhealthy"), warning("df-01", "BackOff"))
}

// events' flags, selection errors (exit 1, as every verb) and output.
func TestEventsCommand(t *testing.T) {
	for _, c := range []struct {
		name, args  string
		code        int
		out, stderr string
		notOut      string
	}{
		{"list", "events -n demo", 0, "BackOff", "", ""},
		{"--for", "events -n demo --for ^ru-", 0, "Unhealthy", "", "BackOff"},
		{"--types", "events -n demo --types warning", 0, "BackOff", "", ""},
		{"json", "events -n demo -o json --for ^df-", 0, `"reason":"BackOff"`, "", "ru-01"},
		{"none found", "events -n empty", 0, "", `No process changes found in session "empty".`, ""},
		{"session as --for", "events --for demo", 0, "", `"demo" is a session: to select it, give -n demo.`, ""},
		{"unknown session", "events -n nosuch", 1, "", `error: session "nosuch" not found`, ""},
		{"bad type", "events -n demo --types Fatal", 1, "", `--types "Fatal" is not an event type`, ""},
		{"a name as an argument", "events -n demo ru-01", 1, "", `events takes no arguments: select processes with --for NAME-REGEX (e.g. --for '^ru-01$')`, ""},
		{"bad output", "events -n demo -o wide", 1, "", "use json or yaml", ""},
		{"bad regex", "events -n demo --for (", 1, "", "not a valid regular expression", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := vt.Run(t, demo(), strings.Fields(c.args)...)
			if r.Code != c.code || !strings.Contains(r.Out, c.out) || !strings.Contains(r.Err, c.stderr) ||
				(c.notOut != "" && strings.Contains(r.Out, c.notOut)) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, %q (not %q), %q", r.Code, r.Out, r.Err, c.code, c.out, c.notOut, c.stderr)
			}
		})
	}
}
