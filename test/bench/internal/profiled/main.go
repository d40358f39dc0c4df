// Command profiled is kubectl-drunc with pprof profiles written at exit, for
// the scale benchmark's profiling runs (test/bench/scale -profile DIR):
// DRUNC_BENCH_CPUPROFILE and DRUNC_BENCH_HEAPPROFILE name the files. The
// heap profile is taken after a GC just before exit, so its inuse figures
// are what the process still holds (an informer cache, for ps -w) and its
// alloc figures everything it allocated.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/kubectl-drunc/kubectl-drunc/plugin"
)

func main() {
	if path := os.Getenv("DRUNC_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	streams := genericiooptions.IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	code := plugin.Execute(streams, os.Args[1:])
	pprof.StopCPUProfile()
	if path := os.Getenv("DRUNC_BENCH_HEAPPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			runtime.GC()
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
	os.Exit(code)
}
