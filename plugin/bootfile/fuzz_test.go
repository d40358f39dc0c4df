package bootfile

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: no input makes the decoder (or validation) panic, and every
// rejection is an *Error.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(good))
	if b, err := os.ReadFile(filepath.Join("..", "..", "examples", "boot", "demo-session.yaml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("{\"apiVersion\": 1, \"spec\": {\"processes\": [null, {}, []]}}"))
	f.Add([]byte("spec:\n  env: {a: [b]}\n  processes:\n  - executables: [{exec: x, args: [~, {}]}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode("fuzz.yaml", data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		_, _ = file.Session(Overrides{DefaultUser: "u"})
	})
}
