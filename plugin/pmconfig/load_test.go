package pmconfig

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDefaults(t *testing.T) {
	s, warnings, err := Load("")
	if err != nil || warnings != nil {
		t.Fatal(err, warnings)
	}
	if s.Image != "ghcr.io/dune-daq/alma9:latest" || s.LabelDomain != "drunc.daq" || s.ReadoutAppSelector != "runp" ||
		s.HeadlessDiscoveryPort != 80 || s.KillTimeout != 30 || s.PodReadyTimeout != 60 || s.Keys().Creator() != "creator.drunc.daq" {
		t.Fatalf("defaults %+v", s)
	}
	empty, _, err := Parse([]byte(`{"type": "k8s", "settings": {}}`))
	if err != nil || !reflect.DeepEqual(empty, Default()) {
		t.Fatalf("an empty settings block keeps every default: %+v %v", empty, err)
	}
}

func TestParseEveryKey(t *testing.T) {
	s, warnings, err := Parse([]byte(`{
	  "type": "k8s", "name": "pm", "command_address": "0.0.0.0:1", "authoriser": {}, "broadcaster": {}, "environment": {},
	  "image": "registry.example/daq:1",
	  "settings": {
	    "labels": {"drunc_label": "example.org"},
	    "readout_app_selector": "RUNP",
	    "service": {"headless_discovery_port": 8080},
	    "pod_management": {"kill_timeout": 10.5, "pod_ready_timeout": 90},
	    "cleanup": {"restart_cleanup_time": 8, "restart_cleanup_polling": 0.25, "kill_watch_fallback_poll_interval": 2},
	    "volumes": [{"name": "cvmfs", "mount_path": "/cvmfs", "host_path": "/cvmfs"},
	                {"name": "data", "mount_path": "/data", "host_path": "/srv/data", "read_only": false}],
	    "home_path_base": "/nfs/home/",
	    "checking": {"watcher_retry_sleep": 3, "pod_status_check_sleep": 2, "host_cache_expiry": 60,
	                 "grpc_startup_timeout": 45, "socket_retry_timeout": 0.5},
	    "host_configs": {"np02-srv-002": {"limits": {"cpu": 8, "hugepages-1Gi": "4Gi"}, "requests": {"memory": "16Gi"}}}
	  }
	}`))
	if err != nil || len(warnings) != 0 {
		t.Fatal(err, warnings)
	}
	want := &Settings{
		Image: "registry.example/daq:1", LabelDomain: "example.org", ReadoutAppSelector: "RUNP", HeadlessDiscoveryPort: 8080,
		KillTimeout: 11, PodReadyTimeout: 90,
		Cleanup: Cleanup{RestartCleanupTime: 8, RestartCleanupPolling: 0.25, KillWatchFallbackPollInterval: 2},
		Volumes: []Volume{{Name: "cvmfs", MountPath: "/cvmfs", HostPath: "/cvmfs", ReadOnly: true},
			{Name: "data", MountPath: "/data", HostPath: "/srv/data", ReadOnly: false}},
		HomePathBase: "/nfs/home",
		Checking:     Checking{WatcherRetrySleep: 3, PodStatusCheckSleep: 2, HostCacheExpiry: 60, ServiceStartupTimeout: 45, SocketRetryTimeout: 0.5},
		HostConfigs: map[string]HostConfig{"np02-srv-002": {
			Limits: map[string]string{"cpu": "8", "hugepages-1Gi": "4Gi"}, Requests: map[string]string{"memory": "16Gi"}}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("\n got %+v\nwant %+v", s, want)
	}
}

func TestUnknownKeysAreWarnings(t *testing.T) {
	s, warnings, err := Parse([]byte(`{"imagee": "x", "settings": {"labels": {"other": "y"}, "sidecar": 1,
		"pod_management": {"kil_timeout": 3}, "volumes": [{"name": "v", "mount_path": "/v", "host_path": "/v", "mode": 1}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"imagee: unknown key, ignored",
		"settings.labels.other: unknown key, ignored",
		"settings.pod_management.kil_timeout: unknown key, ignored",
		"settings.sidecar: unknown key, ignored",
		"settings.volumes[0].mode: unknown key, ignored",
	}
	if !reflect.DeepEqual(warnings, want) {
		t.Fatalf("warnings\n got %q\nwant %q", warnings, want)
	}
	if s.KillTimeout != 30 {
		t.Fatal("a misspelt key must not change the setting")
	}
}

func TestWrongTypesAreErrorsNamingTheKeyPath(t *testing.T) {
	_, _, err := Parse([]byte(`{"image": 5, "settings": {
		"labels": [], "readout_app_selector": "",
		"service": {"headless_discovery_port": "80"},
		"pod_management": {"kill_timeout": "30", "pod_ready_timeout": 1e30},
		"volumes": [{"name": "Bad_Name", "mount_path": "rel", "host_path": "/x", "read_only": "yes"}, "x"],
		"home_path_base": "home",
		"host_configs": {"h1": {"limits": {"cpu": "lots"}}, "h2": []}}}`))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"image: must be a string, got a number",
		"settings.labels: must be an object, got a list",
		"settings.readout_app_selector: must not be empty",
		"settings.service.headless_discovery_port: must be an integer, got a string",
		"settings.pod_management.kill_timeout: must be a number of seconds, got a string",
		"settings.pod_management.pod_ready_timeout: 1e+30 seconds is too long",
		`settings.volumes[0].name: "Bad_Name" is not a valid volume name`,
		`settings.volumes[0].mount_path: must be an absolute path, got "rel"`,
		"settings.volumes[0].read_only: must be a boolean, got a string",
		"settings.volumes[1]: must be an object, got a string",
		`settings.home_path_base: must be an absolute path, got "home"`,
		`settings.host_configs.h1.limits.cpu: "lots" is not a resource quantity`,
		"settings.host_configs.h2: must be an object, got a list",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
}

func TestLabelDomainMustMakeLabelKeys(t *testing.T) {
	if _, _, err := Parse([]byte(`{"settings": {"cleanup": {"restart_cleanup_time": -1}}}`)); err == nil ||
		!strings.Contains(err.Error(), "settings.cleanup.restart_cleanup_time: must be a non-negative number of seconds, got -1") {
		t.Errorf("negative seconds: %v", err)
	}
	for _, d := range []string{"", "bad domain", "a/b", strings.Repeat("x", 60)} {
		if _, _, err := Parse([]byte(`{"settings": {"labels": {"drunc_label": "` + d + `"}}}`)); err == nil ||
			!strings.Contains(err.Error(), "settings.labels.drunc_label") {
			t.Errorf("drunc_label %q: %v", d, err)
		}
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "pm.json")
	os.WriteFile(bad, []byte("{\n  \"image\": \"x\",\n  oops\n}"), 0o644)
	if _, _, err := Load(bad); err == nil || !strings.Contains(err.Error(), bad+": line 3, column 3: not valid JSON") {
		t.Fatalf("syntax error: %v", err)
	}
	if _, _, err := Load(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Fatalf("missing file: %v", err)
	}
	for _, doc := range []string{`[]`, `null`, `{} {}`} {
		os.WriteFile(bad, []byte(doc), 0o644)
		if _, _, err := Load(bad); err == nil {
			t.Errorf("%s accepted", doc)
		}
	}
	os.WriteFile(bad, []byte(`{"x": 1}`), 0o644)
	if _, w, err := Load(bad); err != nil || len(w) != 1 || w[0] != bad+": x: unknown key, ignored" {
		t.Fatalf("warning without file name: %q %v", w, err)
	}
}

func TestExampleConfigLoads(t *testing.T) {
	s, warnings, err := Load(filepath.Join("..", "..", "examples", "pm-config.json"))
	if err != nil || len(warnings) > 0 {
		t.Fatal(err, warnings)
	}
	if len(s.Volumes) == 0 || len(s.HostConfigs) == 0 || s.HomePathBase == "" {
		t.Fatalf("the example should show volumes, host_configs and home_path_base: %+v", s)
	}
}
