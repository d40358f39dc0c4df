package pmconfig

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no configuration makes the reader panic; a rejection is an
// error, never a half-filled Settings.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "pm-config.json")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"settings": {"volumes": [null, 1, {"name": 2}], "host_configs": {"h": {"limits": {"cpu": []}}}}}`))
	f.Add([]byte(`{"settings": {"pod_management": {"kill_timeout": 1e400}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _, err := Parse(data)
		if (s == nil) == (err == nil) {
			t.Fatalf("settings %v with error %v", s, err)
		}
	})
}
