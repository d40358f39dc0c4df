package testcluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

func TestRunningAndRecordedPIDs(t *testing.T) {
	if !running(os.Getpid()) {
		t.Errorf("this test's own process is not running")
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no `true` to run:", err)
	}
	if running(cmd.Process.Pid) {
		t.Errorf("a child that exited and was reaped counts as running")
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "pids"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pids", "kwok.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := recordedPIDs(dir); len(got) != 1 || got["kwok"] != os.Getpid() {
		t.Errorf("recordedPIDs = %v", got)
	}
}
