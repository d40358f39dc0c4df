package events

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/kubectl-drunc/kubectl-drunc/internal/golden"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/changes"
)

func code(c int32) *int32 { return &c }

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func init() { clock = func() time.Time { return now } }

func records() []changes.Record {
	mk := func(r changes.Record) changes.Record {
		r.APIVersion, r.Kind = changes.SchemaVersion, changes.Kind
		return r
	}
	return []changes.Record{
		mk(changes.Record{Time: metav1.NewTime(now.Add(-time.Minute)), Type: "Normal", Session: "run42", Process: "ru-01", To: "Running"}),
		mk(changes.Record{Time: metav1.NewTime(now), Type: "Warning", Session: "run42", Process: "ru-01", From: "Running", To: "Error", ExitCode: code(3), Reason: "Error", Message: "segfault"}),
		mk(changes.Record{Time: metav1.NewTime(now), Type: "Warning", Session: "run42", Process: "df-01-long-name", From: "Running", To: "Running", Reason: "Unhealthy", Message: "Readiness probe failed", Count: 3}),
	}
}

// The table: aligned under one header for the start, then one row per
// change, flushed at once.
func TestTable(t *testing.T) {
	var b bytes.Buffer
	print, listed := printerFor(&b, "", true)
	rs := records()
	for _, r := range rs[:2] {
		if err := print(r); err != nil {
			t.Fatal(err)
		}
	}
	if b.Len() != 0 {
		t.Errorf("rows of the start printed before the list ended: %q", b.String())
	}
	if err := listed(); err != nil {
		t.Fatal(err)
	}
	if err := print(rs[2]); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "table.txt", b.Bytes())
}

// -o json: one object per line, with the schema's apiVersion and kind.
func TestJSONLines(t *testing.T) {
	var b bytes.Buffer
	print, _ := printerFor(&b, "json", false)
	for _, r := range records() {
		if err := print(r); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 3 records:\n%s", len(lines), b.String())
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &m); err != nil {
		t.Fatal(err)
	}
	if m["apiVersion"] != "drunc.daq/v1" || m["kind"] != "ProcessChange" || m["exitCode"] != 3.0 || m["from"] != "Running" || m["to"] != "Error" {
		t.Errorf("record: %v", m)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Types: []string{"Fatal"}}, `--types "Fatal" is not an event type`},
		{Options{Output: "wide"}, `--output "wide" is not supported`},
		{Options{Types: []string{"warning"}}, ""},
	} {
		err := c.o.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.o, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: error %v, want %q", c.o, err, c.want)
		}
	}
}
