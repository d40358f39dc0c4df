package testcluster

import (
	"crypto/rand"
	"strings"
)

// UniqueName returns prefix-xxxxx (five random lowercase letters or digits),
// a valid DNS label, so parallel tests and repeated runs never collide.
func (c *Cluster) UniqueName(prefix string) string { return UniqueName(prefix) }

// UniqueName is Cluster.UniqueName for code without a cluster at hand.
func UniqueName(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	prefix = strings.Trim(strings.ToLower(prefix), "-")
	if len(prefix) > 63-6 {
		prefix = strings.TrimRight(prefix[:63-6], "-")
	}
	if prefix == "" {
		prefix = "t"
	}
	return prefix + "-" + string(b)
}
