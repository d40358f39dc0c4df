package shell

import (
	"os/exec"
	"strings"
	"testing"
)

// tricky are arguments bash would otherwise split, expand or interpret.
var tricky = []string{
	"", " ", "plain", "two words", "it's", `say "hi"`, "$HOME", "${HOME}", "$(echo pwned)",
	"`echo pwned`", "a;b", "a && b", "a|b", "a > /tmp/x", "line1\nline2", "tab\there", "*", "?",
	"[a]", "~", "~root", "!", "#comment", "a=b", "{a,b}", "'", `\`, `\'`, "''", `"`, "--port=3333",
	"grpc://host:3333", "ünïcødé", "%s\\n", "-e",
}

// bashArgv runs `printf '%s\0' WORDS` under a real bash and splits the output.
func bashArgv(t *testing.T, words string) []string {
	t.Helper()
	out, err := exec.Command("/bin/bash", "-c", `printf '%s\0' `+words).Output()
	if err != nil {
		t.Fatalf("bash -c %q: %v", words, err)
	}
	got := strings.Split(string(out), "\x00")
	return got[:len(got)-1]
}

func TestQuoteReachesBashVerbatim(t *testing.T) {
	for _, s := range tricky {
		got := bashArgv(t, Quote(s))
		if len(got) != 1 || got[0] != s {
			t.Errorf("Quote(%q) = %s; bash saw %q", s, Quote(s), got)
		}
	}
}

func TestJoinKeepsTheArgumentVector(t *testing.T) {
	got := bashArgv(t, Join(tricky))
	if strings.Join(got, "\x00") != strings.Join(tricky, "\x00") {
		t.Fatalf("Join: bash saw %q, want %q", got, tricky)
	}
}

func TestQuoteLeavesSafeWordsBare(t *testing.T) {
	for _, s := range []string{"drunc-controller", "/opt/daq/setup.sh", "--port=3333", "grpc://h:1", "a,b@c%d+e"} {
		if Quote(s) != s {
			t.Errorf("Quote(%q) = %s, want it bare", s, Quote(s))
		}
	}
}

func TestQuoteCommand(t *testing.T) {
	cases := map[string]string{"source": "source", "FOO=bar": "'FOO=bar'", "if": "'if'", "my prog": "'my prog'"}
	for in, want := range cases {
		if got := QuoteCommand(in); got != want {
			t.Errorf("QuoteCommand(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestVarExpandsAsOneWord(t *testing.T) {
	cmd := exec.Command("/bin/bash", "-c", `printf '%s\0' `+Quote("grpc://")+Var("POD_IP")+Quote(":3333 x"))
	cmd.Env = []string{"POD_IP=10.0.0.7 ; echo no"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(out); got != "grpc://10.0.0.7 ; echo no:3333 x\x00" {
		t.Fatalf("got %q", got)
	}
}
