package session

import (
	"reflect"
	"strings"
	"testing"
)

func TestBootRecordRoundTrip(t *testing.T) {
	uid := int64(1000)
	in := &BootRecord{Session: "demo", User: "alice", RunAsUser: &uid, Settings: []byte(`{"image":"x"}`),
		Process: Process{Name: "df-01", Host: "h", TreeID: "0.1", UUID: "6f1c1d5e-9a55-4d6b-9a3c-2f7b8c0d1e2f",
			Executables: []Executable{{Exec: "daq_application", Args: []string{"it's", "$(x)"}, Shell: "a; b"}},
			Env:         map[string]string{"A": "1"}, LogPath: "/l/x.log", DataMount: "/d", WorkingDir: "/w", Image: "img"}}
	s, err := EncodeBootRecord(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeBootRecord(s)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip:\n in %+v\nout %+v", in, out)
	}
	if got := out.AsSession(); got.Name != "demo" || got.User != "alice" || len(got.Processes) != 1 || got.Processes[0].UUID != in.Process.UUID {
		t.Fatalf("AsSession %+v", got)
	}
}

func TestDecodeBootRecordRejects(t *testing.T) {
	for in, want := range map[string]string{
		`{"version":2,"session":"s"}`:         "version 2",
		`{"version":1,"session":"s","x":1}`:   `unknown field "x"`,
		`not json`:                            "not a valid boot record",
		`{"version":1,"process":{"nme":"a"}}`: `unknown field "nme"`,
	} {
		if _, err := DecodeBootRecord(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeBootRecord(%s) = %v, want %q", in, err, want)
		}
	}
}
