//go:build tools

// Package tools pins kwok, which plays the kubelet of the test cluster's fake
// nodes, and its stage definitions (read from the module at build time).
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
