// Command rusage runs a command and writes what the command itself cost —
// its peak RSS in KiB and its CPU time in nanoseconds — to the file named
// by its first argument, then exits as the command did.
//
// The benchmarks start commands through it (plugin proc) because Linux
// counts an exec'd process's peak RSS from the memory of the process that
// forked it: Go starts children with vfork semantics, so a command started
// by a benchmark holding an informer of 10,000 pods reports at least the
// benchmark's own peak. This program is small, so the commands it starts
// report their own.
//
//	rusage REPORT-FILE COMMAND [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: rusage REPORT-FILE COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Killed with this program (the benchmark's last resort), the command
	// must not outlive it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(127)
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	_ = cmd.Wait()
	st := cmd.ProcessState
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		report := fmt.Sprintf("%d %d\n", ru.Maxrss, ru.Utime.Nano()+ru.Stime.Nano())
		if err := os.WriteFile(os.Args[1], []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	code := st.ExitCode()
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		code = 128 + int(ws.Signal())
	}
	os.Exit(code)
}
