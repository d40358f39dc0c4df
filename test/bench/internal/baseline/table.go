package baseline

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/stats"
)

// Table collects figures of each side, one value per run, and shows each
// side's median, its runs in order, and the ratio current / baseline of the
// medians.
type Table struct {
	title   string
	figures []string
	runs    map[string]map[string][]float64 // figure → side → runs
}

// NewTable starts a table; title says what was measured.
func NewTable(title string) *Table {
	return &Table{title: title, runs: map[string]map[string][]float64{}}
}

// Add records one run's value of a figure ("wall (s)") for a side.
func (t *Table) Add(figure, side string, v float64) {
	if t.runs[figure] == nil {
		t.figures = append(t.figures, figure)
		t.runs[figure] = map[string][]float64{}
	}
	t.runs[figure][side] = append(t.runs[figure][side], v)
}

// Median is a side's median of a figure (0 without runs).
func (t *Table) Median(figure, side string) float64 { return stats.Median(t.runs[figure][side]) }

// Ratio is current / baseline of a figure's medians (0 without both).
func (t *Table) Ratio(figure string) float64 {
	c, bl := t.Median(figure, Current), t.Median(figure, Baseline)
	if c == 0 || bl == 0 {
		return 0
	}
	return c / bl
}

// Lines is the table in Markdown.
func (t *Table) Lines() []string {
	withBaseline := false
	for _, f := range t.figures {
		withBaseline = withBaseline || len(t.runs[f][Baseline]) > 0
	}
	l := []string{t.title + " (median; runs in the order they ran)"}
	if !withBaseline {
		l = append(l, "| figure | median | runs |", "| --- | --- | --- |")
		for _, f := range t.figures {
			l = append(l, fmt.Sprintf("| %s | %.4g | %s |", f, t.Median(f, Current), joined(t.runs[f][Current])))
		}
		return l
	}
	l = append(l, "| figure | current | baseline | current / baseline | runs: current | runs: baseline |",
		"| --- | --- | --- | --- | --- | --- |")
	for _, f := range t.figures {
		ratio := "n/a"
		if r := t.Ratio(f); r > 0 {
			ratio = fmt.Sprintf("**%.3f×**", r)
		}
		l = append(l, fmt.Sprintf("| %s | %.4g | %.4g | %s | %s | %s |", f, t.Median(f, Current), t.Median(f, Baseline),
			ratio, joined(t.runs[f][Current]), joined(t.runs[f][Baseline])))
	}
	return l
}

// Report prints the table (a benchmark's log is cut short; stdout is not)
// and reports each current / baseline ratio as a metric.
func (t *Table) Report(b *testing.B) {
	fmt.Println(strings.Join(t.Lines(), "\n"))
	for _, f := range t.figures {
		if r := t.Ratio(f); r > 0 {
			b.ReportMetric(r, "x/"+MetricName(f)+"-vs-baseline")
		}
	}
}

// MetricName makes a figure's name a benchmark metric's unit: letters and
// digits, the rest one dash ("ps -A wall (s)" → "ps-A-wall-s").
func MetricName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ReplaceAll(s, "→", "to") {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

func joined(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.4g", x)
	}
	return strings.Join(s, ", ")
}
