package baseline

import (
	"strings"
	"testing"
)

func TestHelpFlags(t *testing.T) {
	help := `Kill processes.

Examples:
  kubectl drunc kill -n run42 -o name --force

Flags:
  -A, --all-namespaces     Select processes of every session
      --no-probe           Do not check
  -o, --output string      Output format
  -L, --label-columns strings   Labels as columns

Global Flags:
  -n, --namespace string   If present, the namespace scope
`
	got := helpFlags(help)
	for _, f := range []string{"-A", "--all-namespaces", "--no-probe", "-o", "--output", "-L", "--label-columns", "-n", "--namespace"} {
		if !got[f] {
			t.Errorf("%s not found in the help", f)
		}
	}
	for _, f := range []string{"--force", "-f", "run42", ""} {
		if got[f] {
			t.Errorf("%q taken for a flag (it is in an example or not a flag)", f)
		}
	}
}

func TestTableWithBaseline(t *testing.T) {
	tb := NewTable("kill")
	for _, v := range []float64{4, 2, 3} {
		tb.Add("wall (s)", Current, v)
		tb.Add("wall (s)", Baseline, v*2)
	}
	tb.Add("hand-over (ms)", Current, 0)
	tb.Add("hand-over (ms)", Baseline, 0)
	got := strings.Join(tb.Lines(), "\n")
	for _, want := range []string{
		"| wall (s) | 3 | 6 | **0.500×** | 4, 2, 3 | 8, 4, 6 |",
		"| hand-over (ms) | 0 | 0 | n/a | 0 | 0 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestTableWithoutBaseline(t *testing.T) {
	tb := NewTable("kill")
	tb.Add("wall (s)", Current, 1.5)
	got := strings.Join(tb.Lines(), "\n")
	if want := "| wall (s) | 1.5 | 1.5 |"; !strings.Contains(got, want) || strings.Contains(got, Baseline) {
		t.Errorf("want only the current side with %q:\n%s", want, got)
	}
}

func TestMetricName(t *testing.T) {
	for in, want := range map[string]string{
		"ps -A wall (s)":       "ps-A-wall-s",
		"send → line p99 (ms)": "send-to-line-p99-ms",
		"peak RSS (MiB)":       "peak-RSS-MiB",
	} {
		if got := MetricName(in); got != want {
			t.Errorf("MetricName(%q) = %q, want %q", in, got, want)
		}
	}
}
