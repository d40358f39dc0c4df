//go:build tools

// Package tools pins krew and its manifest validator, which the release
// checks use to prove krew/drunc.yaml installs the plugin.
package tools

import (
	_ "sigs.k8s.io/krew/cmd/krew"
	_ "sigs.k8s.io/krew/cmd/validate-krew-manifest"
)
