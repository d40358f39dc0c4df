// Package pmconfig reads drunc's Kubernetes process-manager configuration
// (the JSON file drunc's K8sProcessManager is started with) into Settings,
// the knobs the renderer and the lifecycle engines honour.
package pmconfig

import "github.com/kubectl-drunc/kubectl-drunc/plugin/session"

// DefaultImage is the image drunc's K8s process manager runs every process in.
const DefaultImage = "ghcr.io/dune-daq/alma9:latest"

// Settings are drunc's K8s process-manager settings, with drunc's defaults.
// Durations are in seconds, as in drunc's JSON.
type Settings struct {
	// Image is the top-level "image" (a process may override it).
	Image string `json:"image"`
	// LabelDomain is settings.labels.drunc_label: the suffix of every label key.
	LabelDomain string `json:"labelDomain"`
	// ReadoutAppSelector is matched case-insensitively against process names
	// to find readout applications (privileged, hugepages, host resources).
	ReadoutAppSelector string `json:"readoutAppSelector"`
	// HeadlessDiscoveryPort is the port of every headless Service.
	HeadlessDiscoveryPort int32 `json:"headlessDiscoveryPort"`
	// KillTimeout becomes each pod's terminationGracePeriodSeconds.
	KillTimeout int `json:"killTimeout"`
	// PodReadyTimeout bounds the wait for a pod to become Ready.
	PodReadyTimeout int                   `json:"podReadyTimeout"`
	Cleanup         Cleanup               `json:"cleanup"`
	Volumes         []Volume              `json:"volumes,omitempty"`
	HomePathBase    string                `json:"homePathBase,omitempty"`
	Checking        Checking              `json:"checking"`
	HostConfigs     map[string]HostConfig `json:"hostConfigs,omitempty"`
}

// Cleanup is settings.cleanup: how long a restart waits for the old pod.
type Cleanup struct {
	RestartCleanupTime            float64 `json:"restartCleanupTime"`
	RestartCleanupPolling         float64 `json:"restartCleanupPolling"`
	KillWatchFallbackPollInterval float64 `json:"killWatchFallbackPollInterval"`
}

// Checking is settings.checking: retry and probe timings.
type Checking struct {
	WatcherRetrySleep   float64 `json:"watcherRetrySleep"`
	PodStatusCheckSleep float64 `json:"podStatusCheckSleep"`
	HostCacheExpiry     float64 `json:"hostCacheExpiry"`
	// ServiceStartupTimeout bounds the reachability probe of a NodePort
	// (drunc also calls it grpc_startup_timeout).
	ServiceStartupTimeout float64 `json:"serviceStartupTimeout"`
	SocketRetryTimeout    float64 `json:"socketRetryTimeout"`
}

// Volume is one settings.volumes entry: a hostPath mounted at MountPath.
type Volume struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	HostPath  string `json:"hostPath"`
	ReadOnly  bool   `json:"readOnly"`
}

// HostConfig is settings.host_configs.<node>: the resources readout
// applications on that node request (e.g. hugepages-1Gi, cpu, memory).
type HostConfig struct {
	Limits   map[string]string `json:"limits,omitempty"`
	Requests map[string]string `json:"requests,omitempty"`
}

// Default returns drunc's defaults (what an empty --pm-config means).
func Default() *Settings {
	return &Settings{
		Image:                 DefaultImage,
		LabelDomain:           session.DefaultLabelDomain,
		ReadoutAppSelector:    "runp",
		HeadlessDiscoveryPort: 80,
		KillTimeout:           30,
		PodReadyTimeout:       60,
		Cleanup: Cleanup{
			RestartCleanupTime:            10,
			RestartCleanupPolling:         0.5,
			KillWatchFallbackPollInterval: 1,
		},
		Checking: Checking{
			WatcherRetrySleep:     5,
			PodStatusCheckSleep:   1,
			HostCacheExpiry:       300,
			ServiceStartupTimeout: 30,
			SocketRetryTimeout:    1,
		},
	}
}

// Keys returns the label keys for the configured label domain.
func (s *Settings) Keys() session.LabelKeys { return session.Keys(s.LabelDomain) }

// ForHost returns a copy reduced to what one process on host needs: the
// boot record stores it, so other hosts' resources are left out.
func (s *Settings) ForHost(host string) *Settings {
	c := *s
	c.Volumes = append([]Volume(nil), s.Volumes...)
	c.HostConfigs = nil
	if hc, ok := s.HostConfigs[host]; ok {
		c.HostConfigs = map[string]HostConfig{host: hc}
	}
	return &c
}
