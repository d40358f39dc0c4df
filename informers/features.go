package informers

import (
	"os"

	"k8s.io/client-go/features"
)

// The reflector's streaming list (WatchListClient) waits for the
// apiserver's end-of-initial-events bookmark, which took 0.4–3.4 s on the
// test cluster against 0.2 s for a plain LIST served from the watch cache:
// ps is a one-shot list, so the plugin lists. KUBE_FEATURE_WatchListClient
// still decides when a user sets it.
func init() {
	if _, set := os.LookupEnv("KUBE_FEATURE_WatchListClient"); set {
		return
	}
	if g, ok := features.FeatureGates().(interface {
		Set(features.Feature, bool) error
	}); ok {
		_ = g.Set(features.WatchListClient, false)
	}
}
