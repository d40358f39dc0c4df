package logs

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// inotifyHeadroom is the inotify instances kept free besides one per
// followed stream: the cluster's other components, and other tests, watch
// files too.
const inotifyHeadroom = 64

const maxInstances = "/proc/sys/fs/inotify/max_user_instances"

// checkInotify fails the benchmark before anything is created when kwok
// could not follow n streams: kwok, the fake kubelet, opens an inotify
// instance per followed log file, and fs.inotify.max_user_instances bounds
// them per user (128 by default on many systems; kwok then refuses the
// streams beyond that with "too many open files"). It assumes kwok runs on
// this machine as this user, as the local test cluster does.
func checkInotify(b *testing.B, n int) {
	raw, err := os.ReadFile(maxInstances)
	if err != nil {
		b.Logf("not checking the inotify limit: %v", err)
		return
	}
	limit, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	if err != nil {
		b.Fatalf("%s: %v", maxInstances, err)
	}
	inUse := inotifyInstances()
	if limit-inUse >= n+inotifyHeadroom {
		return
	}
	b.Fatalf("following %d streams needs %d inotify instances for kwok (one per followed log) plus %d spare, "+
		"but fs.inotify.max_user_instances is %d and this user has %d in use: raise it as root, "+
		"e.g. sysctl fs.inotify.max_user_instances=%d, or follow fewer processes (-processes)",
		n, n, inotifyHeadroom, limit, inUse, max(1024, nextPow2(inUse+n+inotifyHeadroom)))
}

// inotifyInstances counts the inotify instances held by this user's
// processes (file descriptors on anon_inode:inotify).
func inotifyInstances() int {
	fds, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	uid := os.Getuid()
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err != nil || target != "anon_inode:inotify" {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat(filepath.Dir(filepath.Dir(fd)), &st) == nil && int(st.Uid) == uid {
			n++
		}
	}
	return n
}

func nextPow2(n int) int {
	p := 1
	for p < n {
		p *= 2
	}
	return p
}
