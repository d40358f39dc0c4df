// Package boot measures `kubectl drunc boot` of a DUNE-scale session (400
// processes on 140 kwok nodes) against (a) the physical limit, a bare
// client-go program creating the same pods all at once; (b) kubectl apply
// of the same manifests then kubectl wait; (c) drunc's model, one pod and
// service at a time in boot order. All on the same cluster in one run; the
// fast ones also with a 2 ms round trip added in the client's transport.
// With -baseline BIN, BIN (a build of another commit) boots an identical
// fresh session right after the current binary in every round.
//
//	make bench BENCH=BenchmarkBoot
package boot

import (
	"flag"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kubectl-drunc/kubectl-drunc/internal/testcluster"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootexec"
	"github.com/kubectl-drunc/kubectl-drunc/test/bench/internal/baseline"
)

var (
	processes = flag.Int("processes", 400, "processes of the generated session (with an LCS and a root controller)")
	nodeCount = flag.Int("nodes", 140, "kwok nodes the processes are spread over")
	rounds    = flag.Int("rounds", 3, "runs of each fast contender; the median is reported")
	withApply = flag.Bool("apply", true, "also run (b), kubectl apply + kubectl wait (slow: minutes)")
	only      = flag.String("only", "", "run only the contenders whose name matches this regular expression")
	rtt       = flag.Duration("rtt", 2*time.Millisecond, "round trip added in the client's transport for the +rtt runs")
	inFlight  = flag.String("in-flight", "", "also run the boot engine with these --max-in-flight values (comma-separated, e.g. 128,256)")
)

// baselineBinary is the contender of -baseline: `kubectl-drunc boot` of the
// binary built from another commit, run right after "boot (binary)".
const baselineBinary = "boot (baseline binary)"

type contender struct {
	name string
	slow bool // with the added round trip
	run  func(*testing.B, env, string) time.Duration
}

func BenchmarkBoot(b *testing.B) {
	tc := testcluster.Get(b)
	hosts := testcluster.NodeNames("bench-boot", *nodeCount)
	tc.Nodes(b, hosts...)
	fast := env{tc: tc, hosts: hosts, cfg: tc.Config}
	slow := env{tc: tc, hosts: hosts, cfg: delayed(tc.Config, *rtt)}

	times := map[string][]time.Duration{}
	var results []*bootexec.Result
	engine := func(b *testing.B, e env, ns string) time.Duration {
		d, res := bootEngine(b, e, ns, 0)
		if e.cfg == fast.cfg {
			results = append(results, res)
		}
		return d
	}
	sides := baseline.Sides(b)
	flags := baseline.Common(b, sides, "boot", []string{"-f"}, []string{"--no-probe"})
	contenders := []contender{
		{name: "boot", run: engine},
		{name: "boot (binary)", run: bootBinary(sides[0].Bin, flags)},
	}
	if len(sides) > 1 { // interleaved with the current binary, round after round
		contenders = append(contenders, contender{name: baselineBinary, run: bootBinary(sides[1].Bin, flags)})
	}
	contenders = append(contenders, []contender{
		{name: "(a) bare client-go", run: bare},
		{name: "(a+svc) bare client-go with services", run: bareWithServices},
		{name: "(c) one at a time", run: oneByOne},
		{name: "boot", slow: true, run: engine},
		{name: "(a) bare client-go", slow: true, run: bare},
		{name: "(c) one at a time", slow: true, run: oneByOne},
	}...)
	for _, v := range strings.Split(*inFlight, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("-in-flight: %q is not a positive number", v)
		}
		contenders = append(contenders, contender{name: fmt.Sprintf("boot (in-flight %d)", n), run: func(b *testing.B, e env, ns string) time.Duration {
			d, _ := bootEngine(b, e, ns, n)
			return d
		}})
	}
	measure := func(c contender) {
		e, key := fast, c.name
		if c.slow {
			e, key = slow, c.name+" +rtt"
		}
		if *only != "" && !regexp.MustCompile(*only).MatchString(key) {
			return
		}
		ns := testcluster.UniqueName("bench-boot")
		d := c.run(b, e, ns)
		times[key] = append(times[key], d)
		b.Logf("%-28s %s", key, d.Round(time.Millisecond))
		deleteSession(b, tc, ns)
	}
	for range b.N {
		for range *rounds {
			for _, c := range contenders {
				measure(c)
			}
		}
		if *withApply {
			measure(contender{name: "(b) kubectl apply + wait", run: kubectlApply})
		}
	}
	report(b, times, results)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// report logs the table for BENCHMARKS.md and reports the medians and
// ratios as benchmark metrics.
func report(b *testing.B, times map[string][]time.Duration, results []*bootexec.Result) {
	med := map[string]time.Duration{}
	var lines []string
	lines = append(lines, fmt.Sprintf("%d processes on %d kwok nodes, %d rounds (median, all runs)", *processes, *nodeCount, *rounds),
		"| contender | median | runs |", "| --- | --- | --- |")
	keys := make([]string, 0, len(times))
	for k := range times {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		med[k] = median(times[k])
		var runs []string
		for _, d := range times[k] {
			runs = append(runs, fmt.Sprintf("%.2f", d.Seconds()))
		}
		lines = append(lines, fmt.Sprintf("| %s | %.2f s | %s |", k, med[k].Seconds(), strings.Join(runs, ", ")))
		b.ReportMetric(med[k].Seconds(), "s/"+metricName(k))
	}
	ratio := func(label, num, den string) {
		if med[num] > 0 && med[den] > 0 {
			r := med[num].Seconds() / med[den].Seconds()
			lines = append(lines, fmt.Sprintf("%s: %.2f", label, r))
			b.ReportMetric(r, "x/"+metricName(label))
		}
	}
	ratio("boot / (a)", "boot", "(a) bare client-go")
	ratio("boot / (a+svc)", "boot", "(a+svc) bare client-go with services")
	// The binaries, current and baseline, each against (a+svc) of the same
	// run, and against each other.
	ratio("boot (binary) / (a+svc)", "boot (binary)", "(a+svc) bare client-go with services")
	ratio(baselineBinary+" / (a+svc)", baselineBinary, "(a+svc) bare client-go with services")
	ratio("boot (binary) / "+baselineBinary, "boot (binary)", baselineBinary)
	ratio("(b) / boot", "(b) kubectl apply + wait", "boot")
	ratio("(c) / boot", "(c) one at a time", "boot")
	ratio("boot / (a) +rtt", "boot +rtt", "(a) bare client-go +rtt")
	ratio("(c) / boot +rtt", "(c) one at a time +rtt", "boot +rtt")
	lines = append(lines, stageSplit(results)...)
	// Printed, not logged: benchmark logs are truncated.
	fmt.Println(strings.Join(lines, "\n"))
}

// stageSplit is where the boot's time goes, median per step.
func stageSplit(results []*bootexec.Result) []string {
	if len(results) == 0 {
		return nil
	}
	steps := map[string][]time.Duration{}
	var order []string
	add := func(name string, d time.Duration) {
		if _, ok := steps[name]; !ok {
			order = append(order, name)
		}
		steps[name] = append(steps[name], d)
	}
	for _, r := range results {
		add("hosts check", r.Nodes)
		add("namespace", r.Namespace)
		for _, st := range r.Stages {
			add(fmt.Sprintf("%s: create (%d)", st.Name, st.Processes), st.Create)
			if st.Ready > 0 {
				add(st.Name+": until Ready", st.Ready)
			}
		}
		add("final wait until all Ready", r.Wait)
		add("total", r.Total)
	}
	out := []string{"", "boot time split (median of the in-process runs):", "| step | median |", "| --- | --- |"}
	for _, name := range order {
		out = append(out, fmt.Sprintf("| %s | %d ms |", name, median(steps[name]).Milliseconds()))
	}
	return out
}

func metricName(s string) string {
	r := strings.NewReplacer(" ", "-", "(", "", ")", "", "/", "per", "+", "", "--", "-")
	return r.Replace(s)
}
