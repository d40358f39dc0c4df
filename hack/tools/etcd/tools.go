//go:build tools

// Package tools pins etcd, the test cluster's store (its root package is the
// etcd server's main). Debian's etcd 3.4 lacks the watch-progress requests
// that kube-apiserver 1.37 relies on, hence a build from the module.
package tools

import _ "go.etcd.io/etcd/server/v3"
